import { Counter, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS_MS, type Tech5CallReport } from '@nexus/actors';

/**
 * Tech5 calls of this process's worker threads, from the reports each thread sends with its
 * replies: calls by outcome, retries, calls refused by an open circuit, and how long calls took
 * (a whole call, its retries included).
 */
export class Tech5CallMetrics {
  private readonly calls: Counter<'service' | 'operation' | 'outcome'>;
  private readonly retries: Counter<'service' | 'operation'>;
  private readonly shortCircuited: Counter<'service' | 'operation'>;
  private readonly duration: Histogram<'service' | 'operation'>;

  constructor(registry: Registry) {
    this.calls = new Counter({
      name: 'nexus_tech5_calls_total',
      help: 'Tech5 calls (after their retries) by service, operation and outcome',
      labelNames: ['service', 'operation', 'outcome'] as const,
      registers: [registry],
    });
    this.retries = new Counter({
      name: 'nexus_tech5_retries_total',
      help: 'Tech5 attempts retried (5xx, 429, timeouts, dropped connections)',
      labelNames: ['service', 'operation'] as const,
      registers: [registry],
    });
    this.shortCircuited = new Counter({
      name: 'nexus_tech5_short_circuited_total',
      help: 'Tech5 calls refused at once because the circuit breaker was open',
      labelNames: ['service', 'operation'] as const,
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'nexus_tech5_call_duration_seconds',
      help: 'Time a Tech5 call took, its retries included',
      labelNames: ['service', 'operation'] as const,
      buckets: LATENCY_BUCKETS_MS.map((ms) => ms / 1000),
      registers: [registry],
    });
  }

  add(report: Tech5CallReport): void {
    for (const service of ['lds', 'abis'] as const) {
      for (const [operation, r] of Object.entries(report[service])) {
        const labels = { service, operation };
        this.calls.inc({ ...labels, outcome: 'succeeded' }, r.succeeded);
        this.calls.inc({ ...labels, outcome: 'failed' }, r.failed);
        this.retries.inc(labels, r.retries);
        this.shortCircuited.inc(labels, r.shortCircuited);
        for (const ms of r.durationsMs) this.duration.observe(labels, ms / 1000);
      }
    }
  }
}
