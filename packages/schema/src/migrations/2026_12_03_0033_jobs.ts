import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Jobs that pull records from where they live (docs/decisions/0033-jobs.md).
 *
 * A source is saved settings (kind, non-secret settings, column map, schedule); its secrets are
 * one sealed value (AES-256-GCM under the server secret key), never a column of plaintext. A job
 * copies its source's settings when it is created, so editing a source never changes a running
 * job. A job's records are stored as ordinary batches (batches.job_id); `resume_rows` is written
 * in the same transaction as each batch, so a restart resumes after the last stored row and no
 * row is stored twice. The partial unique index is the "one run of a source at a time" rule,
 * kept by Postgres for every engine.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table sources (
      id uuid primary key default gen_random_uuid(),
      name text not null unique,
      kind text not null,
      settings jsonb not null,
      secrets text,
      map jsonb not null default '{}',
      record_source text not null,
      schedule text,
      next_run_at timestamptz,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index sources_next_run_at on sources (next_run_at) where next_run_at is not null;

    create table jobs (
      id uuid primary key,
      name text not null,
      source_id uuid references sources (id) on delete set null,
      kind text not null,
      settings jsonb not null,
      secrets text,
      map jsonb not null default '{}',
      record_source text not null,
      trigger text not null,
      status text not null,
      rows_read bigint not null default 0,
      rows_accepted bigint not null default 0,
      rows_rejected bigint not null default 0,
      resume_rows bigint not null default 0,
      attempts integer not null default 0,
      error_code text,
      error text,
      cancel_requested boolean not null default false,
      lease_owner text,
      lease_until timestamptz,
      created_by text not null,
      created_by_id uuid,
      created_at timestamptz not null default now(),
      started_at timestamptz,
      fetched_at timestamptz,
      finished_at timestamptz,
      updated_at timestamptz not null default now()
    );
    create index jobs_status on jobs (status, created_at);
    create index jobs_source on jobs (source_id, created_at);
    create unique index jobs_one_active_run on jobs (source_id)
      where source_id is not null and status in ('queued', 'fetching', 'deciding');

    create table job_runs (
      id bigserial primary key,
      job_id uuid not null references jobs (id) on delete cascade,
      attempt integer not null,
      engine text not null,
      from_row bigint not null,
      to_row bigint,
      outcome text,
      error text,
      started_at timestamptz not null default now(),
      ended_at timestamptz
    );
    create index job_runs_job on job_runs (job_id, id);

    create table job_rejections (
      job_id uuid not null references jobs (id) on delete cascade,
      line bigint not null,
      external_id text,
      errors jsonb not null,
      primary key (job_id, line)
    );

    alter table batches add column job_id uuid references jobs (id) on delete set null;
    create index batches_job on batches (job_id) where job_id is not null;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table batches drop column job_id;
    drop table job_rejections;
    drop table job_runs;
    drop table jobs;
    drop table sources;
  `.execute(db);
}
