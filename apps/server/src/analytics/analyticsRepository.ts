import type { Db } from '@nexus/actors';

/** Reads of the rollup tables for a zone and range of days; `day` comes back as YYYY-MM-DD text. */

export interface RangeFilter {
  zone: string;
  from: string;
  to: string;
  source?: string;
}

/** The figures stored per day and source, in the order the rollup writes them. */
export const STORED_DAILY_FIGURES = [
  'received',
  'pending',
  'new',
  'linked',
  'review',
  'rejected',
  'dead_lettered',
  'cancelled',
  'decided',
  'cleaned',
  'decision_p50_ms',
  'decision_p95_ms',
  'dead_letters',
  'cases_opened',
  'cases_resolved',
  'resolve_p50_seconds',
  'resolve_p95_seconds',
  'backlog',
  'golden_created',
  'golden_merged',
] as const;

export function dailyRows(db: Db, f: RangeFilter) {
  let q = db
    .selectFrom('analytics_daily')
    .select((eb) => [eb.cast<string>('day', 'text').as('day'), 'source', ...STORED_DAILY_FIGURES])
    .where('zone', '=', f.zone)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .orderBy('analytics_daily.day')
    .orderBy('source');
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  return q.execute();
}

export function rejectionRows(db: Db, f: RangeFilter) {
  let q = db
    .selectFrom('analytics_daily_rejections')
    .select((eb) => [eb.cast<string>('day', 'text').as('day'), 'source', 'reason', 'records'])
    .where('zone', '=', f.zone)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .orderBy('day')
    .orderBy('source')
    .orderBy('reason');
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  return q.execute();
}

export function caseOutcomeRows(db: Db, f: RangeFilter) {
  let q = db
    .selectFrom('analytics_daily_case_outcomes')
    .select((eb) => [eb.cast<string>('day', 'text').as('day'), 'source', 'outcome', 'cases'])
    .where('zone', '=', f.zone)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .orderBy('day')
    .orderBy('source')
    .orderBy('outcome');
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  return q.execute();
}

export function fieldQualityRows(db: Db, f: RangeFilter) {
  let q = db
    .selectFrom('analytics_daily_field_quality')
    .select((eb) => [
      eb.cast<string>('day', 'text').as('day'),
      'source',
      'field',
      'missing',
      'invalid',
      'repaired',
    ])
    .where('zone', '=', f.zone)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .orderBy('day')
    .orderBy('source')
    .orderBy('field');
  if (f.source !== undefined) q = q.where('source', '=', f.source);
  return q.execute();
}

/** Reviewers are not per source: a reviewer resolves cases of every source. */
export function reviewerRows(db: Db, f: Omit<RangeFilter, 'source'>) {
  return db
    .selectFrom('analytics_daily_reviewers')
    .select((eb) => [
      eb.cast<string>('day', 'text').as('day'),
      'reviewer',
      'resolved',
      'handling_p50_seconds',
      'handling_p95_seconds',
    ])
    .where('zone', '=', f.zone)
    .where('day', '>=', f.from)
    .where('day', '<=', f.to)
    .orderBy('day')
    .orderBy('reviewer')
    .execute();
}

export function recentRuns(db: Db, limit: number) {
  return db
    .selectFrom('analytics_rollup_runs')
    .select((eb) => [
      'id',
      'trigger',
      'zones',
      eb.cast<string>('from_day', 'text').as('from_day'),
      eb.cast<string>('to_day', 'text').as('to_day'),
      'rows_written',
      'rows_deleted',
      'started_at',
      'duration_ms',
    ])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
