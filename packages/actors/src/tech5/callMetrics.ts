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

export class CallMetrics {
  private readonly byOperation = new Map<string, OperationMetrics>();

  private of(operation: string): OperationMetrics {
    let m = this.byOperation.get(operation);
    if (!m) this.byOperation.set(operation, (m = empty()));
    return m;
  }

  called(operation: string): void {
    this.of(operation).calls++;
  }

  retried(operation: string): void {
    this.of(operation).retries++;
  }

  shortCircuited(operation: string): void {
    this.of(operation).shortCircuited++;
  }

  /** One call ended (after its retries): its outcome and its whole latency. */
  finished(operation: string, ok: boolean, ms: number): void {
    const m = this.of(operation);
    if (ok) m.succeeded++;
    else m.failed++;
    m.latency.count++;
    m.latency.totalMs += ms;
    m.latency.maxMs = Math.max(m.latency.maxMs, ms);
    const bucket = LATENCY_BUCKETS_MS.find((b) => ms <= b);
    m.latency.buckets[bucket === undefined ? '+Inf' : String(bucket)]!++;
  }

  snapshot(): Record<string, OperationMetrics> {
    return structuredClone(Object.fromEntries(this.byOperation));
  }
}
