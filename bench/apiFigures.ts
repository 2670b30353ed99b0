import type { FanoutResult, IngestResult } from './apiClients';
import { percentile } from './stats';

export interface IngestFigures {
  perSecond: number;
  /** CPU time of the Nexus process (user + system) per call: what other load on the machine disturbs least. */
  cpuMs: number;
  p50: number;
  p95: number;
  callsPerRequest: number;
}

export function ingestFigures(r: IngestResult, cpuMs: number): IngestFigures {
  const sorted = [...r.latenciesMs].sort((a, b) => a - b);
  return {
    perSecond: sorted.length / r.seconds,
    cpuMs: cpuMs / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    callsPerRequest: sorted.length / Math.max(1, r.httpRequests),
  };
}

/** Each figure's median over the runs (the runs are noisy; one slow run moves nothing). */
export function median(runs: IngestFigures[]): IngestFigures {
  const mid = (pick: (f: IngestFigures) => number) =>
    percentile(
      runs.map(pick).sort((a, b) => a - b),
      50,
    );
  return {
    perSecond: mid((f) => f.perSecond),
    cpuMs: mid((f) => f.cpuMs),
    p50: mid((f) => f.p50),
    p95: mid((f) => f.p95),
    callsPerRequest: mid((f) => f.callsPerRequest),
  };
}

/** A markdown row: what `api` costs per call above `bare`, in wall time, in the server's CPU and in p95. */
export function overheadRow(
  label: string,
  inFlight: number,
  bare: IngestFigures,
  api: IngestFigures,
): string {
  const sign = (n: number) => (n >= 0 ? '+' : '');
  const above = (a: number, b: number, digits: number) =>
    `${sign(a - b)}${(a - b).toFixed(digits)} ms (${sign(a - b)}${(((a - b) / b) * 100).toFixed(0)}%)`;
  const wall = (f: IngestFigures) => 1000 / f.perSecond;
  return `| ${label} | ${inFlight} | ${wall(api).toFixed(2)} ms, ${above(wall(api), wall(bare), 2)} | ${api.cpuMs.toFixed(3)} ms, ${above(api.cpuMs, bare.cpuMs, 3)} | ${above(api.p95, bare.p95, 2)} |`;
}

export interface FanoutFigures {
  subscribers: number;
  subscribeSeconds: number;
  events: number;
  expected: number;
  delivered: number;
  lost: number;
  subscribersMissing: number;
  duplicates: number;
  p50: number;
  p95: number;
  max: number;
  /** Per event, the latency of its last subscriber: median and worst over the events. */
  allP50: number;
  allMax: number;
  errors: string[];
}

/** Checks every subscriber against the events the server really created (`eventIds`) and times the deliveries. */
export function fanoutFigures(r: FanoutResult, eventIds: string[]): FanoutFigures {
  const wanted = new Set(eventIds);
  const latencies: number[] = [];
  const lastArrival = new Map<string, number>();
  let lost = 0;
  let subscribersMissing = 0;
  let duplicates = 0;
  for (const seen of r.deliveries) {
    const got = new Set<string>();
    for (const [id, createdAt, receivedAt] of seen) {
      if (!wanted.has(id)) continue;
      if (got.has(id)) {
        duplicates++;
        continue;
      }
      got.add(id);
      const ms = receivedAt - createdAt;
      latencies.push(ms);
      lastArrival.set(id, Math.max(lastArrival.get(id) ?? 0, ms));
    }
    const missing = wanted.size - got.size;
    lost += missing;
    if (missing > 0) subscribersMissing++;
  }
  latencies.sort((a, b) => a - b);
  const all = [...lastArrival.values()].sort((a, b) => a - b);
  return {
    subscribers: r.deliveries.length,
    subscribeSeconds: r.subscribeSeconds,
    events: wanted.size,
    expected: wanted.size * r.deliveries.length,
    delivered: latencies.length,
    lost,
    subscribersMissing,
    duplicates,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: latencies.at(-1) ?? 0,
    allP50: percentile(all, 50),
    allMax: all.at(-1) ?? 0,
    errors: r.errors,
  };
}
