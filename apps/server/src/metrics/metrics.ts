import type { Logger } from 'pino';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PIPELINE_STAGES, type Db, type RecordOutcome, type Tech5CallReport } from '@nexus/actors';
import type { Engine } from '../engine/engine';
import type { IdentifyMonitor } from '../identify/identifyMonitor';
import { identifyMetrics } from './identifyMetrics';
import { countOpenDeadLetters, countReviewQueue } from './operationalCounts';
import { ScrapedGauge } from './scrapedGauge';
import { Tech5CallMetrics } from './tech5CallMetrics';

export interface Metrics {
  registry: Registry;
  stop(): void;
}

/**
 * Prometheus metrics of one server: decisions by kind and their latency (from the supervisor's
 * outcomes), partition lag, relay backlog and dead letters (read when scraped), the Tech5 calls
 * of the worker threads, and Node's own (`nexus_process_*`, `nexus_nodejs_*`). A registry per
 * server, so servers in one process (tests) do not share counters. `nexus start` and
 * `nexus worker` both serve it.
 */
export function createMetrics(db: Db, engine: Engine, logger: Logger, identify?: IdentifyMonitor): Metrics {
  const registry = new Registry();
  // Node's metrics are named process_* and nodejs_* already: the prefix only adds ours.
  collectDefaultMetrics({ register: registry, prefix: 'nexus_' });
  const readFailed = (name: string, error: unknown) =>
    logger.warn({ err: error, metric: name }, 'metric could not be read: left out of this scrape');
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
  const stageLatency = new Histogram({
    name: 'nexus_stage_duration_seconds',
    help: 'Time one record spent in a pipeline stage (a record that skips a stage is not counted in it)',
    labelNames: ['stage'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
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
      const lag = await engine.supervisor.lag().catch((error: unknown) => {
        readFailed('nexus_partition_lag', error);
        return new Map<number, number>();
      });
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
  new ScrapedGauge(
    { name: 'nexus_relay_backlog', help: 'Batch records accepted but not yet on the bus', registry },
    () => engine.relay.backlog(),
    readFailed,
  );
  new ScrapedGauge(
    { name: 'nexus_dead_letters_open', help: 'Dead letters neither replayed nor discarded', registry },
    () => countOpenDeadLetters(db),
    readFailed,
  );
  new ScrapedGauge(
    { name: 'nexus_review_queue', help: 'Review cases open or claimed, not yet resolved', registry },
    () => countReviewQueue(db),
    readFailed,
  );
  new Gauge({
    name: 'nexus_dependency_up',
    help: '1 when a configured dependency (Tech5, Elasticsearch, Kafka) answers, as in /health',
    labelNames: ['part'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const parts = await engine.health().catch((error: unknown) => {
        readFailed('nexus_dependency_up', error);
        return {};
      });
      for (const [part, health] of Object.entries(parts)) this.set({ part }, health.ok ? 1 : 0);
    },
  });

  const onOutcome = (_p: number, outcome: RecordOutcome) => {
    if (outcome.result !== 'decided' || outcome.replayed) return;
    decided.inc({ decision: outcome.status });
    latency.observe(outcome.ms / 1000);
    for (const stage of PIPELINE_STAGES) {
      const ms = outcome.stages?.[stage];
      if (ms !== undefined) stageLatency.observe({ stage }, ms / 1000);
    }
  };
  const onDeadLetter = () => {
    deadLettered.inc();
    decided.inc({ decision: 'dead_lettered' });
  };
  const tech5 = new Tech5CallMetrics(registry);
  const onTech5Calls = (report: Tech5CallReport) => tech5.add(report);
  engine.supervisor.on('outcome', onOutcome);
  engine.supervisor.on('deadLetter', onDeadLetter);
  engine.supervisor.on('tech5Calls', onTech5Calls);
  const stopIdentify = identify ? identifyMetrics(registry, identify) : () => undefined;
  return {
    registry,
    stop: () => {
      stopIdentify();
      engine.supervisor.off('outcome', onOutcome);
      engine.supervisor.off('deadLetter', onDeadLetter);
      engine.supervisor.off('tech5Calls', onTech5Calls);
    },
  };
}
