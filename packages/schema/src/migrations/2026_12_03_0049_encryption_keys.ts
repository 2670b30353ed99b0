import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Encryption at rest (docs/decisions/0049-encryption-at-rest.md). The data keys that encrypt
 * national ids, phones, emails and face images, and the key of their blind indexes, are kept here
 * only wrapped (AES-256-GCM) under the key-encryption key, which never enters the database.
 * `kek_id` names the key-encryption key that wrapped each one, so a wrong key is named at start.
 * One data key is active (new values); the others still open the values written under them until
 * `nexus keys rotate` has re-encrypted those.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table encryption_keys (
      id text primary key,
      purpose text not null check (purpose in ('data', 'index')),
      wrapped text not null,
      kek_id text not null,
      active boolean not null default false,
      created_at timestamptz not null default now(),
      retired_at timestamptz
    );
    create unique index encryption_keys_one_active on encryption_keys (purpose) where active;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table encryption_keys`.execute(db);
}
