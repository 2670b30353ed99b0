/** Per-operation call metrics of a Tech5 client: counts and latency (ms), cheap to keep. */
export interface OperationMetrics {
  calls: number;
  succeeded: number;
  failed: number;
  retries: number;
  /** Calls refused at once because the circuit was open. */
  shortCircuited: number;
  latency: { count: number; totalMs: number; maxMs: number; buckets: Record<string, number> };
}

/** Upper bounds of the latency histogram, in ms (Prometheus-style cumulative when read). */
export const LATENCY_BUCKETS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000] as const;

function emptyBuckets(): Record<string, number> {
  const buckets: Record<string, number> = {};
  for (const b of LATENCY_BUCKETS_MS) buckets[String(b)] = 0;
  buckets['+Inf'] = 0;
  return buckets;
}

function empty(): OperationMetrics {
  return {
    calls: 0,
    succeeded: 0,
    failed: 0,
    retries: 0,
    shortCircuited: 0,
    latency: { count: 0, totalMs: 0, maxMs: 0, buckets: emptyBuckets() },
  };
}

/** One operation's calls since the last report: counts, and the duration of each call that ended. */
export interface OperationReport {
  calls: number;
  succeeded: number;
  failed: number;
  retries: number;
  shortCircuited: number;
  durationsMs: number[];
}

/** Calls of both Tech5 services since the last report, by operation: what a worker thread sends home. */
export interface Tech5CallReport {
  lds: Record<string, OperationReport>;
  abis: Record<string, OperationReport>;
}

/** Durations kept per operation between two reports; a thread reports after every task, far fewer calls. */
const MAX_DURATIONS = 10_000;

export class CallMetrics {
  /** Since the client was made. */
  private readonly byOperation = new Map<string, OperationMetrics>();
  /** Since the last takeReport(): a worker thread reports these to the main thread's /metrics. */
  private readonly unreported = new Map<string, OperationReport>();

  private of(operation: string): { total: OperationMetrics; report: OperationReport } {
    let total = this.byOperation.get(operation);
    if (!total) this.byOperation.set(operation, (total = empty()));
    let report = this.unreported.get(operation);
    if (!report) {
      report = { calls: 0, succeeded: 0, failed: 0, retries: 0, shortCircuited: 0, durationsMs: [] };
      this.unreported.set(operation, report);
    }
    return { total, report };
  }

  called(operation: string): void {
    const { total, report } = this.of(operation);
    total.calls++;
    report.calls++;
  }

  retried(operation: string): void {
    const { total, report } = this.of(operation);
    total.retries++;
    report.retries++;
  }

  shortCircuited(operation: string): void {
    const { total, report } = this.of(operation);
    total.shortCircuited++;
    report.shortCircuited++;
  }

  /** One call ended (after its retries): its outcome and its whole latency. */
  finished(operation: string, ok: boolean, ms: number): void {
    const { total: m, report } = this.of(operation);
    if (ok) {
      m.succeeded++;
      report.succeeded++;
    } else {
      m.failed++;
      report.failed++;
    }
    if (report.durationsMs.length < MAX_DURATIONS) report.durationsMs.push(ms);
    m.latency.count++;
    m.latency.totalMs += ms;
    m.latency.maxMs = Math.max(m.latency.maxMs, ms);
    const bucket = LATENCY_BUCKETS_MS.find((b) => ms <= b);
    const key = bucket === undefined ? '+Inf' : String(bucket);
    m.latency.buckets[key] = (m.latency.buckets[key] ?? 0) + 1;
  }

  snapshot(): Record<string, OperationMetrics> {
    return structuredClone(Object.fromEntries(this.byOperation));
  }

  /** What happened since the last call (each call is reported once), then starts afresh. */
  takeReport(): Record<string, OperationReport> {
    const report = Object.fromEntries(this.unreported);
    this.unreported.clear();
    return report;
  }
}
