import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Access records (docs/decisions/0037-access-records-and-masking.md): one row per read of a
 * person's data: who (account, role, person or service), what (the action, its subject, the golden
 * records and records shown), when, why (the reason given). Personal values never go in: a search
 * keeps the names of the fields searched and the ids it answered, not what was typed.
 *
 * Append-only as the audit log is, except for the retention job, which deletes rows past their
 * period inside a transaction that says so (`set local nexus.retention_purge = 'on'`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table access_records (
      id bigserial primary key,
      at timestamptz not null default clock_timestamp(),
      user_id uuid,
      username text not null,
      role text not null,
      principal_kind text not null check (principal_kind in ('person', 'service')),
      action text not null,
      subject_type text not null,
      subject_id text not null,
      customer_ids uuid[] not null default '{}',
      record_ids uuid[] not null default '{}',
      reason text,
      request_id text
    );
    create index access_records_user on access_records (username, id);
    create index access_records_customers on access_records using gin (customer_ids);
    create index access_records_records on access_records using gin (record_ids);
    create index access_records_subject on access_records (subject_type, subject_id);
    create index access_records_at on access_records (at);

    create function access_records_are_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('nexus.retention_purge', true) = 'on' then
        return null;
      end if;
      raise exception 'access_records is append-only: % is not allowed', tg_op;
    end $$;
    create trigger access_records_append_only before update or delete or truncate on access_records
      for each statement execute function access_records_are_append_only();
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists access_records;
    drop function if exists access_records_are_append_only();
  `.execute(db);
}
