import type { Db } from '@nexus/actors';
import type { AnalyticsRangeInput, DecisionCounts } from '@nexus/schema';
import { RequestError } from '../errors/domainError';
import {
  caseOutcomeRows,
  dailyRows,
  fieldQualityRows,
  recentRuns,
  rejectionRows,
  reviewerRows,
  type RangeFilter,
} from './analyticsRepository';
import { daysBetween } from './days';

/** What the analytics API needs from the configuration. */
export interface AnalyticsSettings {
  /** The configured zone; UTC is always available too. */
  timeZone: string;
  maxDays: number;
}

/** The zones the rollup cuts days in: UTC and the configured one. */
export function rollupZones(s: AnalyticsSettings): string[] {
  return [...new Set(['UTC', s.timeZone])];
}

/** A checked range: the days exist (zod), `from` is not after `to`, the range is within the limit, the zone is rolled up. */
export function checkedRange(s: AnalyticsSettings, input: AnalyticsRangeInput): RangeFilter {
  const days = daysBetween(input.from, input.to) + 1;
  if (days > s.maxDays) {
    throw new RequestError('REQUEST.INVALID', `a range may cover at most ${s.maxDays} days`, {
      fields: [
        {
          field: 'to',
          message: `is ${days} days after from; at most ${s.maxDays} (NEXUS_ANALYTICS_MAX_DAYS)`,
        },
      ],
    });
  }
  const zone = input.zone ?? 'UTC';
  if (!rollupZones(s).includes(zone)) {
    throw new RequestError('REQUEST.INVALID', 'days are rolled up in UTC and the configured time zone only', {
      fields: [{ field: 'zone', message: `must be one of ${rollupZones(s).join(', ')}` }],
    });
  }
  return {
    zone,
    from: input.from,
    to: input.to,
    ...(input.source === undefined ? {} : { source: input.source }),
  };
}

/** One day of one source: the REST contract's keys first (day, source, received, new, linked, review, rejected, dead_lettered), then the rest. */
export interface DailyFigures extends DecisionCounts {
  day: string;
  source: string;
  received: number;
  pending: number;
  decided: number;
  /** linked / decided; null when nothing was decided. */
  duplicate_rate: number | null;
  cleaned: number;
  decision_p50_ms: number | null;
  decision_p95_ms: number | null;
  dead_letters: number;
  cases_opened: number;
  cases_resolved: number;
  resolve_p50_seconds: number | null;
  resolve_p95_seconds: number | null;
  backlog: number;
  golden_created: number;
  golden_merged: number;
}

export const DAILY_COLUMNS = [
  'day',
  'source',
  'received',
  'new',
  'linked',
  'review',
  'rejected',
  'dead_lettered',
  'pending',
  'cancelled',
  'decided',
  'duplicate_rate',
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
] as const satisfies ReadonlyArray<keyof DailyFigures>;

const round = (n: number | null, digits = 1) => (n === null ? null : Number(n.toFixed(digits)));

export async function dailyFigures(db: Db, f: RangeFilter): Promise<DailyFigures[]> {
  const rows = await dailyRows(db, f);
  return rows.map((r) => ({
    day: r.day,
    source: r.source,
    received: r.received,
    new: r.new,
    linked: r.linked,
    review: r.review,
    rejected: r.rejected,
    dead_lettered: r.dead_lettered,
    pending: r.pending,
    cancelled: r.cancelled,
    decided: r.decided,
    duplicate_rate: r.decided === 0 ? null : round(r.linked / r.decided, 4),
    cleaned: r.cleaned,
    decision_p50_ms: round(r.decision_p50_ms),
    decision_p95_ms: round(r.decision_p95_ms),
    dead_letters: r.dead_letters,
    cases_opened: r.cases_opened,
    cases_resolved: r.cases_resolved,
    resolve_p50_seconds: round(r.resolve_p50_seconds),
    resolve_p95_seconds: round(r.resolve_p95_seconds),
    backlog: r.backlog,
    golden_created: r.golden_created,
    golden_merged: r.golden_merged,
  }));
}

/** Everything the Reports page draws for a range: the daily rows and their breakdowns. */
export async function analyticsReport(db: Db, f: RangeFilter) {
  const [days, rejections, outcomes, quality, reviewers, runs] = await Promise.all([
    dailyFigures(db, f),
    rejectionRows(db, f),
    caseOutcomeRows(db, f),
    fieldQualityRows(db, f),
    reviewerRows(db, f),
    recentRuns(db, 1),
  ]);
  const cleaned = new Map(days.map((d) => [`${d.day}|${d.source}`, d.cleaned]));
  return {
    zone: f.zone,
    from: f.from,
    to: f.to,
    days,
    rejections,
    outcomes,
    fieldQuality: quality.map((q) => ({ ...q, cleaned: cleaned.get(`${q.day}|${q.source}`) ?? 0 })),
    reviewers: reviewers.map((r) => ({
      ...r,
      handling_p50_seconds: round(r.handling_p50_seconds),
      handling_p95_seconds: round(r.handling_p95_seconds),
    })),
    lastRollupAt: runs[0] ? new Date(runs[0].started_at.getTime() + runs[0].duration_ms).toISOString() : null,
  };
}

export type AnalyticsReport = Awaited<ReturnType<typeof analyticsReport>>;

export async function rollupRuns(db: Db, limit: number) {
  const rows = await recentRuns(db, limit);
  return rows.map((r) => ({
    id: r.id,
    trigger: r.trigger,
    zones: r.zones,
    from: r.from_day,
    to: r.to_day,
    rowsWritten: r.rows_written,
    rowsDeleted: r.rows_deleted,
    startedAt: r.started_at.toISOString(),
    durationMs: r.duration_ms,
  }));
}
