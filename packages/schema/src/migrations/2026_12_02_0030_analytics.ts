import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Daily rollups (docs/decisions/0030-daily-rollups.md). Raw records stay in records.payload,
 * their cleaned form in records.normalised; records.quality adds the per-field quality flags of
 * the cleaning (missing, invalid, repaired; absent key = fine). The rollup tables are summaries
 * written only by the rollup (INSERT ... SELECT ... ON CONFLICT DO UPDATE), keyed by time zone,
 * day and source, so a run for a day can be repeated and gives the same rows.
 *
 * The indexes let one day be read by range: btree on records.received_at and the case times;
 * BRIN on audit_log.at, which is append-only and written in time order (tiny, nearly free to
 * maintain on the engine's hot path).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table records add column quality jsonb;
    create index records_received_at on records (received_at);
    create index review_cases_created_at on review_cases (created_at);
    create index review_cases_resolved_at on review_cases (resolved_at) where resolved_at is not null;
    create index audit_log_at on audit_log using brin (at);
    create index dead_letters_created_at on dead_letters (created_at);

    create table analytics_daily (
      zone text not null,
      day date not null,
      source text not null,
      received integer not null,
      pending integer not null,
      new integer not null,
      linked integer not null,
      review integer not null,
      rejected integer not null,
      dead_lettered integer not null,
      cancelled integer not null,
      decided integer not null,
      cleaned integer not null,
      decision_p50_ms double precision,
      decision_p95_ms double precision,
      dead_letters integer not null,
      cases_opened integer not null,
      cases_resolved integer not null,
      resolve_p50_seconds double precision,
      resolve_p95_seconds double precision,
      backlog integer not null,
      golden_created integer not null,
      golden_merged integer not null,
      rolled_up_at timestamptz not null,
      primary key (zone, day, source)
    );
    create index analytics_daily_day on analytics_daily (zone, day);

    create table analytics_daily_rejections (
      zone text not null,
      day date not null,
      source text not null,
      reason text not null,
      records integer not null,
      primary key (zone, day, source, reason)
    );

    create table analytics_daily_case_outcomes (
      zone text not null,
      day date not null,
      source text not null,
      outcome text not null,
      cases integer not null,
      primary key (zone, day, source, outcome)
    );

    create table analytics_daily_field_quality (
      zone text not null,
      day date not null,
      source text not null,
      field text not null,
      missing integer not null,
      invalid integer not null,
      repaired integer not null,
      primary key (zone, day, source, field)
    );

    create table analytics_daily_reviewers (
      zone text not null,
      day date not null,
      reviewer text not null,
      resolved integer not null,
      handling_p50_seconds double precision,
      handling_p95_seconds double precision,
      primary key (zone, day, reviewer)
    );

    create table analytics_rollup_runs (
      id bigserial primary key,
      trigger text not null check (trigger in ('schedule','command','api')),
      zones text[] not null,
      from_day date not null,
      to_day date not null,
      rows_written integer not null,
      rows_deleted integer not null,
      started_at timestamptz not null,
      duration_ms integer not null
    );
    create index analytics_rollup_runs_started on analytics_rollup_runs (started_at desc);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table if exists analytics_rollup_runs, analytics_daily_reviewers, analytics_daily_field_quality,
      analytics_daily_case_outcomes, analytics_daily_rejections, analytics_daily;
    drop index if exists dead_letters_created_at, audit_log_at, review_cases_resolved_at,
      review_cases_created_at, records_received_at;
    alter table records drop column if exists quality;
  `.execute(db);
}
