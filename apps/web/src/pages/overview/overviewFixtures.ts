import type { EngineSample, PartitionRow, ThroughputEvent, ThroughputSample } from './overviewTypes';

const idleStage = { entered: 0, meanMs: null };

/** A throughput sample as the server sends it, `decided` records split as new/linked. */
export function throughputSample(
  at: number,
  decided: number,
  latency: ThroughputSample['latency'] = null,
): ThroughputSample {
  const linked = Math.floor(decided / 3);
  return {
    at: new Date(at).toISOString(),
    windowMs: 1000,
    counts: { new: decided - linked, linked, review: 0, rejected: 0, dead_lettered: 0, cancelled: 0 },
    decided,
    meanDecisionMs: latency?.mean ?? null,
    latency,
    stages: {
      validate: { entered: decided, meanMs: decided ? 0.2 : null },
      liveness: idleStage,
      biometric_search: idleStage,
      candidates: { entered: decided, meanMs: decided ? 3 : null },
      decide: { entered: decided, meanMs: decided ? 0.5 : null },
      persist: { entered: decided, meanMs: decided ? 4 : null },
    },
  };
}

export const throughputEvent = (
  at: number,
  decided: number,
  latency: ThroughputSample['latency'] = null,
): ThroughputEvent => ({
  id: String(at),
  data: throughputSample(at, decided, latency),
});

export function partition(n: number, overrides: Partial<PartitionRow> = {}): PartitionRow {
  return {
    partition: n,
    state: 'running',
    inFlight: 0,
    position: 0,
    mailbox: 0,
    restarts: 0,
    decided: 0,
    deadLettered: 0,
    lastError: null,
    pausedUntil: null,
    lag: 0,
    ...overrides,
  };
}

export function engineSample(overrides: Partial<EngineSample> = {}): EngineSample {
  return {
    at: new Date('2026-03-02T10:00:00Z').toISOString(),
    relayBacklog: 0,
    relayError: null,
    partitions: [0, 1, 2, 3].map((n) => partition(n)),
    reviewQueue: 0,
    deadLetters: 0,
    dependencies: {},
    dependenciesCheckedAt: null,
    ...overrides,
  };
}
