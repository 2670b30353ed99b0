import type { Report } from './reportTypes';

/**
 * The Reports page's tables, computed from the report: each chart draws one of them and shows
 * it below, and its CSV download writes the same rows.
 */
export interface Table {
  columns: string[];
  rows: Array<Array<string | number | null>>;
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const share = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
const daysOf = (r: Report) => [...new Set(r.days.map((d) => d.day))].sort();
const sourcesOf = (r: Report) =>
  [...new Set(r.days.map((d) => d.source))].filter((s) => s !== '(none)').sort();

/** Records received per day, by their decision, over every source. */
export function volumeByDecision(r: Report): Table {
  const columns = ['day', 'received', 'new', 'linked', 'review', 'rejected', 'dead_lettered', 'pending'];
  return {
    columns,
    rows: daysOf(r).map((day) => {
      const rows = r.days.filter((d) => d.day === day);
      return [
        day,
        sum(rows.map((d) => d.received)),
        sum(rows.map((d) => d.new)),
        sum(rows.map((d) => d.linked)),
        sum(rows.map((d) => d.review)),
        sum(rows.map((d) => d.rejected)),
        sum(rows.map((d) => d.dead_lettered)),
        sum(rows.map((d) => d.pending)),
      ];
    }),
  };
}

/** linked / decided per day and source. */
export function duplicateRateBySource(r: Report): Table {
  const sources = sourcesOf(r);
  return {
    columns: ['day', ...sources],
    rows: daysOf(r).map((day) => [
      day,
      ...sources.map((s) => r.days.find((d) => d.day === day && d.source === s)?.duplicate_rate ?? null),
    ]),
  };
}

/** The review queue per day: opened, resolved, open at the end of the day, and time to resolve (hours; worst source's median). */
export function reviewBacklog(r: Report): Table {
  return {
    columns: ['day', 'opened', 'resolved', 'backlog', 'resolve_p50_hours', 'resolve_p95_hours'],
    rows: daysOf(r).map((day) => {
      const rows = r.days.filter((d) => d.day === day);
      const hours = (xs: Array<number | null>) => {
        const known = xs.filter((x): x is number => x !== null);
        return known.length === 0 ? null : Math.round((Math.max(...known) / 3600) * 10) / 10;
      };
      return [
        day,
        sum(rows.map((d) => d.cases_opened)),
        sum(rows.map((d) => d.cases_resolved)),
        sum(rows.map((d) => d.backlog)),
        hours(rows.map((d) => d.resolve_p50_seconds)),
        hours(rows.map((d) => d.resolve_p95_seconds)),
      ];
    }),
  };
}

/** Per source and field over the range: the share of cleaned records with the field missing, invalid, repaired. */
export function fieldQualityBySource(r: Report): Table {
  const cleaned = new Map<string, number>();
  for (const d of r.days) cleaned.set(d.source, (cleaned.get(d.source) ?? 0) + d.cleaned);
  const totals = new Map<string, { missing: number; invalid: number; repaired: number }>();
  for (const q of r.fieldQuality) {
    const key = `${q.source}\u0000${q.field}`;
    const t = totals.get(key) ?? { missing: 0, invalid: 0, repaired: 0 };
    t.missing += q.missing;
    t.invalid += q.invalid;
    t.repaired += q.repaired;
    totals.set(key, t);
  }
  return {
    columns: ['source', 'field', 'cleaned', 'missing', 'invalid', 'repaired'],
    rows: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, t]) => {
        const [source, field] = key.split('\u0000') as [string, string];
        const n = cleaned.get(source) ?? 0;
        return [source, field, n, share(t.missing, n), share(t.invalid, n), share(t.repaired, n)];
      }),
  };
}

/** Per day and source: invalid fields per cleaned record (the chart of field quality). */
export function invalidFieldsBySource(r: Report): Table {
  const sources = sourcesOf(r);
  return {
    columns: ['day', ...sources],
    rows: daysOf(r).map((day) => [
      day,
      ...sources.map((s) => {
        const cleaned = r.days.find((d) => d.day === day && d.source === s)?.cleaned ?? 0;
        const invalid = sum(
          r.fieldQuality.filter((q) => q.day === day && q.source === s).map((q) => q.invalid),
        );
        return share(invalid, cleaned);
      }),
    ]),
  };
}

/** Cases each reviewer resolved per day (chart), and their median handling time over the range (table). */
export function reviewerThroughput(r: Report): Table {
  const reviewers = [...new Set(r.reviewers.map((x) => x.reviewer))].sort();
  return {
    columns: ['day', ...reviewers],
    rows: [...new Set(r.reviewers.map((x) => x.day))]
      .sort()
      .map((day) => [
        day,
        ...reviewers.map(
          (who) => r.reviewers.find((x) => x.day === day && x.reviewer === who)?.resolved ?? 0,
        ),
      ]),
  };
}

export function reviewerTotals(r: Report): Table {
  const byReviewer = new Map<string, { resolved: number; medians: number[] }>();
  for (const x of r.reviewers) {
    const t = byReviewer.get(x.reviewer) ?? { resolved: 0, medians: [] };
    t.resolved += x.resolved;
    if (x.handling_p50_seconds !== null) t.medians.push(x.handling_p50_seconds);
    byReviewer.set(x.reviewer, t);
  }
  return {
    columns: ['reviewer', 'resolved', 'median_daily_handling_minutes'],
    rows: [...byReviewer.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([who, t]) => {
        const sorted = [...t.medians].sort((a, b) => a - b);
        // No element (undefined) only when there are no medians.
        const mid = sorted[Math.floor((sorted.length - 1) / 2)];
        return [who, t.resolved, mid === undefined ? null : Math.round(mid / 6) / 10];
      }),
  };
}

/** A table as CSV text (RFC 4180 quoting). */
export function tableCsv(t: Table): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [t.columns, ...t.rows].map((row) => row.map(cell).join(',')).join('\n') + '\n';
}
