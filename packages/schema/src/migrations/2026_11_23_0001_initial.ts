import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create extension if not exists pg_trgm;
    create extension if not exists fuzzystrmatch;

    create table batches (
      id uuid primary key,
      source text not null,
      status text not null check (status in ('received','processing','completed','failed','cancelled')),
      submitted_by text,
      record_count integer not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      completed_at timestamptz
    );
    create index batches_created_at on batches (created_at desc);

    create table records (
      id uuid primary key,
      batch_id uuid references batches(id),
      source text not null,
      external_id text not null,
      partition integer not null,
      payload jsonb not null,
      normalised jsonb,
      status text not null check (status in
        ('received','relayed','new','linked','review','rejected','dead_lettered','cancelled')),
      decision_rule text,
      explanation jsonb,
      model_version integer,
      errors jsonb,
      received_at timestamptz not null default now(),
      relayed_at timestamptz,
      decided_at timestamptz,
      unique (source, external_id)
    );
    create index records_batch_status on records (batch_id, status);
    create index records_outbox on records (received_at) where status = 'received' and batch_id is not null;

    create table golden_records (
      id uuid primary key,
      status text not null default 'active' check (status in ('active','merged')),
      merged_into uuid references golden_records(id),
      best jsonb not null,
      member_count integer not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table golden_record_members (
      record_id uuid primary key references records(id),
      golden_id uuid not null references golden_records(id),
      precedence text not null check (precedence in ('primary','secondary')),
      link_score double precision,
      linked_at timestamptz not null default now()
    );
    create index golden_record_members_golden on golden_record_members (golden_id);
    create unique index golden_record_one_primary on golden_record_members (golden_id) where precedence = 'primary';

    create table review_cases (
      id uuid primary key,
      record_id uuid references records(id),
      kind text not null check (kind in ('possible_match','merge_proposal','biometric_conflict')),
      status text not null default 'open' check (status in ('open','claimed','resolved')),
      score double precision,
      created_at timestamptz not null default now(),
      claimed_by text,
      claimed_at timestamptz,
      resolved_by text,
      resolved_at timestamptz,
      resolution text,
      reason text
    );
    create unique index review_cases_one_per_record on review_cases (record_id) where record_id is not null;
    create index review_cases_queue on review_cases (status, created_at);

    create table review_case_candidates (
      case_id uuid not null references review_cases(id),
      golden_id uuid not null references golden_records(id),
      score double precision not null,
      explanation jsonb not null,
      primary key (case_id, golden_id)
    );

    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      entity_type text not null,
      entity_id text not null,
      record_id uuid,
      before jsonb,
      after jsonb
    );
    create index audit_log_entity on audit_log (entity_type, entity_id, id);
    create index audit_log_record on audit_log (record_id) where record_id is not null;

    create function audit_log_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op;
    end $$;
    create trigger audit_log_append_only before update or delete or truncate on audit_log
      for each statement execute function audit_log_is_append_only();

    create table dead_letters (
      id bigserial primary key,
      record_id uuid not null,
      partition integer not null,
      bus_offset bigint not null,
      payload jsonb not null,
      error text not null,
      attempts integer not null,
      status text not null default 'open' check (status in ('open','replayed','discarded')),
      created_at timestamptz not null default now(),
      resolved_by text,
      resolved_at timestamptz
    );
    create index dead_letters_status on dead_letters (status, created_at);

    create table blocking_keys (
      key text not null,
      record_id uuid not null references records(id),
      primary key (key, record_id)
    );
    create index blocking_keys_record on blocking_keys (record_id);

    create table model_versions (
      id serial primary key,
      kind text not null check (kind in ('default','trained')),
      params jsonb not null,
      active boolean not null default false,
      notes text,
      created_at timestamptz not null default now()
    );
    create unique index model_versions_one_active on model_versions (active) where active;

    create table bus_partitions (
      topic text not null,
      partition integer not null,
      next_offset bigint not null default 0,
      primary key (topic, partition)
    );

    create table bus_messages (
      topic text not null,
      partition integer not null,
      msg_offset bigint not null,
      key text not null,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      primary key (topic, partition, msg_offset)
    );

    create table bus_consumer_positions (
      group_id text not null,
      topic text not null,
      partition integer not null,
      next_offset bigint not null,
      updated_at timestamptz not null default now(),
      primary key (group_id, topic, partition)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists bus_consumer_positions, bus_messages, bus_partitions, model_versions, blocking_keys,
      dead_letters, audit_log, review_case_candidates, review_cases, golden_record_members, golden_records,
      records, batches cascade;
    drop function if exists audit_log_is_append_only();
  `.execute(db);
}
