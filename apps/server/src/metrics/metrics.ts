import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db, RecordOutcome } from '@nexus/actors';
import type { Engine } from '../engine/engine';

export interface Metrics {
  registry: Registry;
  stop(): void;
}

/**
 * Prometheus metrics of one server: decisions by kind and their latency (from the supervisor's
 * outcomes), partition lag, relay backlog and dead letters (read when scraped). A registry per
 * server, so servers in one process (tests) do not share counters.
 */
export function createMetrics(db: Db, engine: Engine): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'nexus_process_' });
  const decided = new Counter({
    name: 'nexus_records_decided_total',
    help: 'Records decided, by decision',
    labelNames: ['decision'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'nexus_decision_duration_seconds',
    help: 'Time a worker thread spent deciding one record',
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const deadLettered = new Counter({
    name: 'nexus_records_dead_lettered_total',
    help: 'Records dead-lettered by this server after their retry budget',
    registers: [registry],
  });
  new Gauge({
    name: 'nexus_partition_lag',
    help: 'Messages published but not yet committed by the deciders, per partition',
    labelNames: ['partition'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const lag = await engine.supervisor.lag().catch(() => new Map<number, number>());
      for (const [partition, value] of lag) this.set({ partition: String(partition) }, value);
    },
  });
  new Gauge({
    name: 'nexus_partition_paused',
    help: '1 when the partition actor is paused after repeated failures',
    labelNames: ['partition'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const a of engine.supervisor.snapshot())
        this.set({ partition: String(a.partition) }, a.state === 'paused' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'nexus_relay_backlog',
    help: 'Batch records accepted but not yet on the bus',
    registers: [registry],
    async collect() {
      this.set(await engine.relay.backlog().catch(() => -1));
    },
  });
  new Gauge({
    name: 'nexus_dead_letters_open',
    help: 'Dead letters neither replayed nor discarded',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('dead_letters')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'open')
        .executeTakeFirst()
        .catch(() => undefined);
      this.set(row ? Number(row.n) : -1);
    },
  });

  const onOutcome = (_p: number, outcome: RecordOutcome) => {
    if (outcome.result !== 'decided' || outcome.replayed) return;
    decided.inc({ decision: outcome.status });
    latency.observe(outcome.ms / 1000);
  };
  const onDeadLetter = () => {
    deadLettered.inc();
    decided.inc({ decision: 'dead_lettered' });
  };
  engine.supervisor.on('outcome', onOutcome);
  engine.supervisor.on('deadLetter', onDeadLetter);
  return {
    registry,
    stop: () => {
      engine.supervisor.off('outcome', onOutcome);
      engine.supervisor.off('deadLetter', onDeadLetter);
    },
  };
}
