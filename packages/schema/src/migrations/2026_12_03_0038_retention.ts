import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Retention (docs/decisions/0038-retention.md). Records say when their raw payload and their face
 * image were purged; every run of the job is kept with what it removed. The audit log stays
 * append-only for everyone but the retention job: a DELETE passes only inside a transaction that
 * set `nexus.retention_purge` (set local), which the job's transaction alone does. UPDATE and
 * TRUNCATE stay refused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table records add column payload_purged_at timestamptz, add column face_purged_at timestamptz;

    create table retention_runs (
      id bigserial primary key,
      trigger text not null check (trigger in ('schedule', 'command')),
      dry_run boolean not null,
      settings jsonb not null,
      removed jsonb not null,
      started_at timestamptz not null,
      duration_ms integer not null
    );

    create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('nexus.retention_purge', true) = 'on' then
        return null;
      end if;
      raise exception 'audit_log is append-only: % is not allowed', tg_op;
    end $$;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    create or replace function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op;
    end $$;
    drop table if exists retention_runs;
    alter table records drop column if exists payload_purged_at, drop column if exists face_purged_at;
  `.execute(db);
}
