import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Erasure (docs/decisions/0036-erasure-and-access-requests.md). An erased record keeps its row
 * as a tombstone (ids, dates, decision) with `erased_at`; a golden record whose every member was
 * erased becomes `erased`; `erasures` holds the fact and reason of each erasure.
 *
 * The audit log held golden records' best values (`best` in before/after). From now on it holds
 * field names only; the values already written are replaced here by the names of the fields they
 * had and of those that changed, the one time the append-only trigger is lifted, inside this
 * migration's transaction.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table golden_records drop constraint if exists golden_records_status_check;
    alter table golden_records add constraint golden_records_status_check
      check (status in ('active','merged','erased'));
    alter table records add column erased_at timestamptz;

    create table erasures (
      id uuid primary key,
      requested_by text not null,
      reason text not null,
      customer_id uuid,
      record_ids uuid[] not null,
      golden_ids uuid[] not null,
      summary jsonb not null,
      created_at timestamptz not null default now()
    );
    create index erasures_created_at on erasures (created_at desc);

    create function audit_best_fields(best jsonb) returns jsonb language sql immutable as $$
      select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from jsonb_object_keys(best) as k
    $$;
    create function audit_changed_fields(before jsonb, after jsonb) returns jsonb language sql immutable as $$
      select coalesce(jsonb_agg(k order by k), '[]'::jsonb) from (
        select k from jsonb_object_keys(coalesce(before, '{}'::jsonb)) as k
        union select k from jsonb_object_keys(coalesce(after, '{}'::jsonb)) as k
      ) as keys(k)
      where before -> k is distinct from after -> k
    $$;

    alter table audit_log disable trigger audit_log_append_only;
    update audit_log set
      before = case when before ? 'best'
        then (before - 'best') || jsonb_build_object('fields', audit_best_fields(before -> 'best'))
        else before end,
      after = case when after ? 'best'
        then (after - 'best') || jsonb_build_object(
          'fields', audit_best_fields(after -> 'best'),
          'changedFields', audit_changed_fields(before -> 'best', after -> 'best'))
        else after end
    where before ? 'best' or after ? 'best';
    alter table audit_log enable trigger audit_log_append_only;
    drop function audit_changed_fields(jsonb, jsonb);
    drop function audit_best_fields(jsonb);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists erasures;
    alter table records drop column if exists erased_at;
    alter table golden_records drop constraint if exists golden_records_status_check;
    alter table golden_records add constraint golden_records_status_check check (status in ('active','merged'));
  `.execute(db);
}
