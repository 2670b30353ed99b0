import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The control plane's accounts: people sign in with a password (scrypt), machines use API keys.
 * Refresh tokens are stored hashed, rotate on every use and are revoked as a family on reuse.
 * server_secrets keeps the generated JWT signing key, so restarts and other processes agree.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table users (
      id uuid primary key,
      username text not null,
      kind text not null check (kind in ('person','service')),
      role text not null check (role in ('admin','operator','reviewer','ingest')),
      password_hash text,
      disabled_at timestamptz,
      created_at timestamptz not null default now(),
      created_by text,
      last_login_at timestamptz
    );
    create unique index users_username on users (lower(username));

    create table api_keys (
      id uuid primary key,
      user_id uuid not null references users(id),
      key_hash text not null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      revoked_at timestamptz
    );
    create index api_keys_user on api_keys (user_id);

    create table refresh_tokens (
      id uuid primary key,
      user_id uuid not null references users(id),
      family_id uuid not null,
      token_hash text not null,
      expires_at timestamptz not null,
      created_at timestamptz not null default now(),
      used_at timestamptz,
      revoked_at timestamptz
    );
    create index refresh_tokens_user on refresh_tokens (user_id);
    create index refresh_tokens_family on refresh_tokens (family_id);

    create table server_secrets (
      name text primary key,
      value text not null,
      created_at timestamptz not null default now()
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists server_secrets, refresh_tokens, api_keys, users cascade`.execute(db);
}
