import { Counter, Histogram, type Registry } from 'prom-client';
import type { IdentifyMonitor } from '../identify/identifyMonitor';

/** `/identify`: calls by result, contacts created, families joined, latency. Returns the unsubscribe. */
export function identifyMetrics(registry: Registry, monitor: IdentifyMonitor): () => void {
  const requests = new Counter({
    name: 'nexus_identify_requests_total',
    help: '/identify calls, by result (answered, invalid, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const created = new Counter({
    name: 'nexus_identify_contacts_created_total',
    help: 'Contacts /identify created (new primaries and secondaries)',
    registers: [registry],
  });
  const joined = new Counter({
    name: 'nexus_identify_families_joined_total',
    help: 'Primaries /identify demoted into an older family',
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'nexus_identify_duration_seconds',
    help: 'Time to answer one /identify call, from its body read to its answer',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  for (const result of ['answered', 'invalid', 'failed']) requests.inc({ result }, 0);
  return monitor.onOutcome((o) => {
    requests.inc({ result: o.result });
    if (o.created > 0) created.inc(o.created);
    if (o.joined > 0) joined.inc(o.joined);
    latency.observe(o.ms / 1000);
  });
}
