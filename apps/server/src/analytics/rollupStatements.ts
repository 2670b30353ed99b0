import { sql, type RawBuilder } from 'kysely';
import type { Db } from '@nexus/actors';
import { STORED_DAILY_FIGURES } from './analyticsRepository';
import { required } from '@nexus/schema';

/**
 * The rollup: one set-based statement per table for a range of days in one time zone
 * (docs/decisions/0030-daily-rollups.md). Each statement computes the range's rows from the
 * source rows, deletes the range's rows that no longer exist, and upserts the rest with
 * `INSERT ... SELECT ... ON CONFLICT DO UPDATE`, writing only rows whose figures changed. So a run
 * can be repeated any number of times and leaves the same rows. Reads take no lock that blocks
 * the engine (plain MVCC reads of records, review_cases, dead_letters and audit_log).
 */
export interface RollupWindow {
  zone: string;
  /** First and last day, YYYY-MM-DD, in `zone`. */
  from: string;
  to: string;
  /** The instants the range starts and ends at: midnight of `from` and of the day after `to`, in `zone`. */
  lo: Date;
  hi: Date;
}

export interface StatementCounts {
  written: number;
  deleted: number;
}

/** Rows that belong to no record (merge proposals, merges of golden records) count under this source. */
export const NO_SOURCE = '(none)';

export const ROLLUP_TABLES = [
  'analytics_daily',
  'analytics_daily_rejections',
  'analytics_daily_case_outcomes',
  'analytics_daily_field_quality',
  'analytics_daily_reviewers',
] as const;
export type RollupTable = (typeof ROLLUP_TABLES)[number];

/** Midnight of `from` and of the day after `to` in the zone, as instants (Postgres knows the zone rules). */
export async function rollupWindow(db: Db, zone: string, from: string, to: string): Promise<RollupWindow> {
  const { rows } = await sql<{ lo: Date; hi: Date }>`
    select (${from}::date::timestamp at time zone ${zone}) as lo,
           ((${to}::date + 1)::timestamp at time zone ${zone}) as hi`.execute(db);
  const { lo, hi } = required(rows[0], `rollupWindow: row of the window ${from}..${to} in ${zone}`);
  return { zone, from, to, lo, hi };
}

const dayOf = (w: RollupWindow, column: RawBuilder<unknown>) => sql`(${column} at time zone ${w.zone})::date`;
const seconds = (a: string, b: string) => sql.raw(`extract(epoch from ${a} - ${b})::float8`);

/**
 * Upserts `computed` (a select with the key and value columns, no zone) into `table` for the
 * window, deleting the window's rows that are not in it. Returns how many rows changed.
 */
async function replaceRange(
  db: Db,
  w: RollupWindow,
  table: RollupTable,
  keys: string[],
  values: readonly string[],
  computed: RawBuilder<unknown>,
  extraSet = '',
): Promise<StatementCounts> {
  const cols = [...keys, ...values];
  const keyMatch = keys.map((k) => `c.${k} = d.${k}`).join(' and ');
  const set = values.map((v) => `${v} = excluded.${v}`).join(', ');
  const changed = `(${values.map((v) => `t.${v}`).join(', ')}) is distinct from (${values.map((v) => `excluded.${v}`).join(', ')})`;
  const { rows } = await sql<{ written: string; deleted: string }>`
    with computed as (${computed}),
    gone as (
      delete from ${sql.table(table)} d
      where d.zone = ${w.zone} and d.day between ${w.from}::date and ${w.to}::date
        and not exists (select 1 from computed c where ${sql.raw(keyMatch)})
      returning 1
    ),
    upserted as (
      insert into ${sql.table(table)} as t (zone, ${sql.raw(cols.join(', '))}${sql.raw(extraSet ? ', rolled_up_at' : '')})
      select ${w.zone}, ${sql.raw(cols.join(', '))}${sql.raw(extraSet ? ', now()' : '')} from computed
      on conflict (zone, ${sql.raw(keys.join(', '))}) do update set ${sql.raw(set)}${sql.raw(extraSet)}
      where ${sql.raw(changed)}
      returning 1
    )
    select (select count(*) from upserted) as written, (select count(*) from gone) as deleted`.execute(db);
  const { written, deleted } = required(rows[0], `replaceRange: row of counts for ${table}`);
  return { written: Number(written), deleted: Number(deleted) };
}

/**
 * analytics_daily: per day and source, the records received that day (by their status now),
 * and the day's dead letters, review cases and golden record changes. Each part is grouped on
 * its own and the parts are summed, so a day with only cases still gets its row.
 */
export function rollupDaily(db: Db, w: RollupWindow): Promise<StatementCounts> {
  const recordDay = dayOf(w, sql.ref('r.received_at'));
  const computed = sql`
    select day, source,
      sum(received)::int as received, sum(pending)::int as pending, sum(new)::int as new,
      sum(linked)::int as linked, sum(review)::int as review, sum(rejected)::int as rejected,
      sum(dead_lettered)::int as dead_lettered, sum(cancelled)::int as cancelled,
      sum(new + linked + review)::int as decided, sum(cleaned)::int as cleaned,
      max(decision_p50_ms) as decision_p50_ms, max(decision_p95_ms) as decision_p95_ms,
      sum(dead_letters)::int as dead_letters, sum(cases_opened)::int as cases_opened,
      sum(cases_resolved)::int as cases_resolved,
      max(resolve_p50_seconds) as resolve_p50_seconds, max(resolve_p95_seconds) as resolve_p95_seconds,
      sum(backlog)::int as backlog, sum(golden_created)::int as golden_created,
      sum(golden_merged)::int as golden_merged
    from (
      select ${recordDay} as day, r.source,
        count(*) as received,
        count(*) filter (where r.status in ('received', 'relayed')) as pending,
        count(*) filter (where r.status = 'new') as new,
        count(*) filter (where r.status = 'linked') as linked,
        count(*) filter (where r.status = 'review') as review,
        count(*) filter (where r.status = 'rejected') as rejected,
        count(*) filter (where r.status = 'dead_lettered') as dead_lettered,
        count(*) filter (where r.status = 'cancelled') as cancelled,
        count(*) filter (where r.quality is not null) as cleaned,
        percentile_cont(0.5) within group (order by ${seconds('r.decided_at', 'r.received_at')} * 1000)
          filter (where engine_decided) as decision_p50_ms,
        percentile_cont(0.95) within group (order by ${seconds('r.decided_at', 'r.received_at')} * 1000)
          filter (where engine_decided) as decision_p95_ms,
        0 as dead_letters, 0 as cases_opened, 0 as cases_resolved,
        null::float8 as resolve_p50_seconds, null::float8 as resolve_p95_seconds,
        0 as backlog, 0 as golden_created, 0 as golden_merged
      from records r
      cross join lateral (
        select r.status in ('new', 'linked', 'review', 'rejected') and r.decided_at is not null
          and not exists (select 1 from review_cases rc where rc.record_id = r.id and rc.status = 'resolved')
          as engine_decided
      ) e
      where r.received_at >= ${w.lo} and r.received_at < ${w.hi}
      group by 1, 2
      union all
      select ${dayOf(w, sql.ref('dl.created_at'))}, coalesce(r.source, ${NO_SOURCE}),
        0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, count(*), 0, 0, null, null, 0, 0, 0
      from dead_letters dl left join records r on r.id = dl.record_id
      where dl.created_at >= ${w.lo} and dl.created_at < ${w.hi}
      group by 1, 2
      union all
      select ${dayOf(w, sql.ref('c.created_at'))}, coalesce(r.source, ${NO_SOURCE}),
        0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, count(*), 0, null, null, 0, 0, 0
      from review_cases c left join records r on r.id = c.record_id
      where c.created_at >= ${w.lo} and c.created_at < ${w.hi}
      group by 1, 2
      union all
      select ${dayOf(w, sql.ref('c.resolved_at'))}, coalesce(r.source, ${NO_SOURCE}),
        0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, count(*),
        percentile_cont(0.5) within group (order by ${seconds('c.resolved_at', 'c.created_at')}),
        percentile_cont(0.95) within group (order by ${seconds('c.resolved_at', 'c.created_at')}),
        0, 0, 0
      from review_cases c left join records r on r.id = c.record_id
      where c.resolved_at >= ${w.lo} and c.resolved_at < ${w.hi}
      group by 1, 2
      union all
      (
        -- The cases open at some point of the range, each with its source once (materialised),
        -- then crossed with the range's days: not one records look-up per case and day.
        with open_cases as materialized (
          select c.created_at, c.resolved_at, coalesce(r.source, ${NO_SOURCE}) as source
          from review_cases c left join records r on r.id = c.record_id
          where c.created_at < ${w.hi} and (c.resolved_at is null or c.resolved_at >= ${w.lo})
        )
        select g.d::date, c.source,
          0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, 0, null, null, count(*), 0, 0
        from generate_series(${w.from}::date, ${w.to}::date, interval '1 day') as g(d)
        join open_cases c
          on c.created_at < ((g.d::date + 1)::timestamp at time zone ${w.zone})
          and (c.resolved_at is null or c.resolved_at >= ((g.d::date + 1)::timestamp at time zone ${w.zone}))
        group by 1, 2
      )
      union all
      select ${dayOf(w, sql.ref('a.at'))}, coalesce(r.source, ${NO_SOURCE}),
        0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, 0, 0, 0, null, null, 0,
        count(*) filter (where a.action in ('golden_record.created', 'golden_record.created_by_split')),
        count(*) filter (where a.action = 'golden_record.merged_into')
      from audit_log a left join records r on r.id = a.record_id
      where a.at >= ${w.lo} and a.at < ${w.hi}
        and a.action in ('golden_record.created', 'golden_record.created_by_split', 'golden_record.merged_into')
      group by 1, 2
    ) parts
    group by day, source`;
  return replaceRange(
    db,
    w,
    'analytics_daily',
    ['day', 'source'],
    STORED_DAILY_FIGURES,
    computed,
    ', rolled_up_at = now()',
  );
}

/** analytics_daily_rejections: records received that day and rejected now, by reason (the rule that rejected them). */
export function rollupRejections(db: Db, w: RollupWindow): Promise<StatementCounts> {
  const computed = sql`
    select ${dayOf(w, sql.ref('r.received_at'))} as day, r.source,
      coalesce(r.decision_rule, 'unknown') as reason, count(*)::int as records
    from records r
    where r.received_at >= ${w.lo} and r.received_at < ${w.hi} and r.status = 'rejected'
    group by 1, 2, 3`;
  return replaceRange(
    db,
    w,
    'analytics_daily_rejections',
    ['day', 'source', 'reason'],
    ['records'],
    computed,
  );
}

/** analytics_daily_case_outcomes: review cases resolved that day, by resolution. */
export function rollupCaseOutcomes(db: Db, w: RollupWindow): Promise<StatementCounts> {
  const computed = sql`
    select ${dayOf(w, sql.ref('c.resolved_at'))} as day, coalesce(r.source, ${NO_SOURCE}) as source,
      coalesce(c.resolution, 'unknown') as outcome, count(*)::int as cases
    from review_cases c left join records r on r.id = c.record_id
    where c.resolved_at >= ${w.lo} and c.resolved_at < ${w.hi}
    group by 1, 2, 3`;
  return replaceRange(
    db,
    w,
    'analytics_daily_case_outcomes',
    ['day', 'source', 'outcome'],
    ['cases'],
    computed,
  );
}

/** analytics_daily_field_quality: per field, how many of the day's cleaned records had it missing, invalid or repaired. */
export function rollupFieldQuality(db: Db, w: RollupWindow): Promise<StatementCounts> {
  const computed = sql`
    select ${dayOf(w, sql.ref('r.received_at'))} as day, r.source, q.field,
      count(*) filter (where q.flag = 'missing')::int as missing,
      count(*) filter (where q.flag = 'invalid')::int as invalid,
      count(*) filter (where q.flag = 'repaired')::int as repaired
    from records r
    cross join lateral jsonb_each_text(r.quality) as q(field, flag)
    where r.received_at >= ${w.lo} and r.received_at < ${w.hi} and r.quality is not null
    group by 1, 2, 3`;
  return replaceRange(
    db,
    w,
    'analytics_daily_field_quality',
    ['day', 'source', 'field'],
    ['missing', 'invalid', 'repaired'],
    computed,
  );
}

/** analytics_daily_reviewers: per reviewer, cases resolved that day and the time from claim (or opening) to resolution. */
export function rollupReviewers(db: Db, w: RollupWindow): Promise<StatementCounts> {
  const handling = seconds('c.resolved_at', 'coalesce(c.claimed_at, c.created_at)');
  const computed = sql`
    select ${dayOf(w, sql.ref('c.resolved_at'))} as day, coalesce(c.resolved_by, 'unknown') as reviewer,
      count(*)::int as resolved,
      percentile_cont(0.5) within group (order by ${handling}) as handling_p50_seconds,
      percentile_cont(0.95) within group (order by ${handling}) as handling_p95_seconds
    from review_cases c
    where c.resolved_at >= ${w.lo} and c.resolved_at < ${w.hi}
    group by 1, 2`;
  return replaceRange(
    db,
    w,
    'analytics_daily_reviewers',
    ['day', 'reviewer'],
    ['resolved', 'handling_p50_seconds', 'handling_p95_seconds'],
    computed,
  );
}

export const ROLLUP_STATEMENTS: Record<RollupTable, (db: Db, w: RollupWindow) => Promise<StatementCounts>> = {
  analytics_daily: rollupDaily,
  analytics_daily_rejections: rollupRejections,
  analytics_daily_case_outcomes: rollupCaseOutcomes,
  analytics_daily_field_quality: rollupFieldQuality,
  analytics_daily_reviewers: rollupReviewers,
};
