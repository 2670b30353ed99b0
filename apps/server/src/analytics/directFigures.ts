import type { Db } from '@nexus/actors';
import { required } from '@nexus/schema';
import { addDays, dayIn } from './days';
import { NO_SOURCE, type RollupTable } from './rollupStatements';

/**
 * The rollup's figures computed the slow, obvious way: every source row read into memory and
 * counted in TypeScript. The rollup tests compare the SQL rollup against this.
 */

export type FigureRows = Record<string, Record<string, number | null>>;

export interface DirectFigures {
  daily: FigureRows;
  rejections: FigureRows;
  outcomes: FigureRows;
  fieldQuality: FigureRows;
  reviewers: FigureRows;
}

/** percentile_cont: linear interpolation between the closest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const below = required(sorted[lo], `percentileCont: value at rank ${lo} of ${sorted.length}`);
  const above = required(sorted[hi], `percentileCont: value at rank ${hi} of ${sorted.length}`);
  return below + (pos - lo) * (above - below);
}

const DAILY_ZERO = {
  received: 0,
  pending: 0,
  new: 0,
  linked: 0,
  review: 0,
  rejected: 0,
  dead_lettered: 0,
  cancelled: 0,
  decided: 0,
  cleaned: 0,
  dead_letters: 0,
  cases_opened: 0,
  cases_resolved: 0,
  backlog: 0,
  golden_created: 0,
  golden_merged: 0,
};

/** A day's counts are always there (every row starts from DAILY_ZERO); the percentiles are added last. */
type DailyRow = typeof DAILY_ZERO & Record<string, number | null>;

export async function directFigures(db: Db, zone: string, from: string, to: string): Promise<DirectFigures> {
  const records = await db.selectFrom('records').selectAll().execute();
  const cases = await db.selectFrom('review_cases').selectAll().execute();
  const dead = await db.selectFrom('dead_letters').selectAll().execute();
  const audit = await db.selectFrom('audit_log').selectAll().execute();
  const sourceOf = new Map(records.map((r) => [r.id, r.source]));
  const resolvedCase = new Set(cases.filter((c) => c.status === 'resolved').map((c) => c.record_id));
  const inRange = (d: string) => d >= from && d <= to;
  const day = (at: Date) => dayIn(zone, at);

  const daily: Record<string, DailyRow> = {};
  const samples = new Map<string, { latency: number[]; resolve: number[] }>();
  const row = (key: string) => {
    daily[key] ??= { ...DAILY_ZERO };
    return daily[key];
  };
  const sample = (key: string) => {
    let s = samples.get(key);
    if (!s) samples.set(key, (s = { latency: [], resolve: [] }));
    return s;
  };
  const rejections: FigureRows = {};
  const fieldQuality: FigureRows = {};
  for (const r of records) {
    const d = day(r.received_at);
    if (!inRange(d)) continue;
    const key = `${d}|${r.source}`;
    const x = row(key);
    x.received += 1;
    const status = r.status === 'received' || r.status === 'relayed' ? 'pending' : r.status;
    x[status] += 1;
    if (r.status === 'new' || r.status === 'linked' || r.status === 'review') x.decided += 1;
    if (r.quality !== null) {
      x.cleaned += 1;
      for (const [field, flag] of Object.entries(r.quality)) {
        if (flag === undefined) continue;
        const q = (fieldQuality[`${key}|${field}`] ??= { missing: 0, invalid: 0, repaired: 0 });
        q[flag] = (q[flag] as number) + 1;
      }
    }
    if (r.status === 'rejected') {
      const k = `${key}|${r.decision_rule ?? 'unknown'}`;
      rejections[k] = { records: (rejections[k]?.records ?? 0) + 1 };
    }
    const engineDecided =
      ['new', 'linked', 'review', 'rejected'].includes(r.status) && !resolvedCase.has(r.id);
    if (engineDecided && r.decided_at !== null)
      sample(key).latency.push(r.decided_at.getTime() - r.received_at.getTime());
  }
  for (const dl of dead) {
    const d = day(dl.created_at);
    if (inRange(d)) row(`${d}|${sourceOf.get(dl.record_id) ?? NO_SOURCE}`).dead_letters += 1;
  }
  const outcomes: FigureRows = {};
  const reviewerSamples = new Map<string, number[]>();
  for (const c of cases) {
    const source = (c.record_id && sourceOf.get(c.record_id)) ?? NO_SOURCE;
    const opened = day(c.created_at);
    if (inRange(opened)) row(`${opened}|${source}`).cases_opened += 1;
    if (c.resolved_at) {
      const resolved = day(c.resolved_at);
      if (inRange(resolved)) {
        const key = `${resolved}|${source}`;
        row(key).cases_resolved += 1;
        sample(key).resolve.push((c.resolved_at.getTime() - c.created_at.getTime()) / 1000);
        const k = `${key}|${c.resolution ?? 'unknown'}`;
        outcomes[k] = { cases: (outcomes[k]?.cases ?? 0) + 1 };
        const rk = `${resolved}|${c.resolved_by ?? 'unknown'}`;
        const handling = (c.resolved_at.getTime() - (c.claimed_at ?? c.created_at).getTime()) / 1000;
        reviewerSamples.set(rk, [...(reviewerSamples.get(rk) ?? []), handling]);
      }
    }
    for (let d = from; d <= to; d = addDays(d, 1)) {
      const openAtEnd = opened <= d && (c.resolved_at === null || day(c.resolved_at) > d);
      if (openAtEnd) row(`${d}|${source}`).backlog += 1;
    }
  }
  for (const a of audit) {
    const d = day(a.at);
    if (!inRange(d)) continue;
    const key = `${d}|${(a.record_id && sourceOf.get(a.record_id)) ?? NO_SOURCE}`;
    if (a.action === 'golden_record.created' || a.action === 'golden_record.created_by_split')
      row(key).golden_created += 1;
    if (a.action === 'golden_record.merged_into') row(key).golden_merged += 1;
  }
  for (const [key, x] of Object.entries(daily)) {
    const s = samples.get(key) ?? { latency: [], resolve: [] };
    x.decision_p50_ms = percentileCont(s.latency, 0.5);
    x.decision_p95_ms = percentileCont(s.latency, 0.95);
    x.resolve_p50_seconds = percentileCont(s.resolve, 0.5);
    x.resolve_p95_seconds = percentileCont(s.resolve, 0.95);
  }
  const reviewers: FigureRows = {};
  for (const [key, values] of reviewerSamples) {
    reviewers[key] = {
      resolved: values.length,
      handling_p50_seconds: percentileCont(values, 0.5),
      handling_p95_seconds: percentileCont(values, 0.95),
    };
  }
  return { daily, rejections, outcomes, fieldQuality, reviewers };
}

/** The rollup tables of one zone, keyed as directFigures keys them, figures rounded like it. */
export async function rolledUpFigures(db: Db, zone: string): Promise<DirectFigures> {
  const keyed = <R extends Record<string, unknown>>(rows: R[], keys: (keyof R)[]): FigureRows =>
    Object.fromEntries(
      rows.map((r) => [
        keys.map((k) => String(r[k])).join('|'),
        Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => !(keys as string[]).includes(k) && k !== 'zone' && k !== 'rolled_up_at')
            .map(([k, v]) => [k, v === null ? null : Number(v)]),
        ),
      ]),
    );
  const read = async (table: RollupTable) =>
    (await db
      .selectFrom(table)
      .selectAll()
      .select((eb) => eb.cast<string>('day', 'text').as('day'))
      .where('zone', '=', zone)
      .execute()) as unknown as Array<Record<string, unknown>>;
  return {
    daily: keyed(await read('analytics_daily'), ['day', 'source']),
    rejections: keyed(await read('analytics_daily_rejections'), ['day', 'source', 'reason']),
    outcomes: keyed(await read('analytics_daily_case_outcomes'), ['day', 'source', 'outcome']),
    fieldQuality: keyed(await read('analytics_daily_field_quality'), ['day', 'source', 'field']),
    reviewers: keyed(await read('analytics_daily_reviewers'), ['day', 'reviewer']),
  };
}

/** Rounds every figure, so floating point noise between Postgres and TypeScript does not count. */
export function rounded(f: DirectFigures): DirectFigures {
  const r = (rows: FigureRows): FigureRows =>
    Object.fromEntries(
      Object.entries(rows).map(([k, v]) => [
        k,
        Object.fromEntries(
          Object.entries(v).map(([f, n]) => [f, n === null ? null : Math.round(n * 1000) / 1000]),
        ),
      ]),
    );
  return {
    daily: r(f.daily),
    rejections: r(f.rejections),
    outcomes: r(f.outcomes),
    fieldQuality: r(f.fieldQuality),
    reviewers: r(f.reviewers),
  };
}
