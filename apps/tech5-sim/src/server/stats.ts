import type { AbisOperation } from '@nexus/schema';

export type AbisOperationName = AbisOperation extends `mosip.abis.${infer Op}` ? Op : never;

export interface LatencyStats {
  count: number;
  totalMs: number;
  maxMs: number;
}

/** Call counters of the simulator, per operation: what tests and benchmarks read. */
export interface SimulatorStats {
  lds: { liveness: number; live: number; spoof: number; unreadable: number; invalid: number };
  abis: Record<AbisOperationName, number> & { failed: number; invalid: number };
  /** Identify or insert calls whose sample was a presentation attack (invariant 4 says: none). */
  spoofSamplesAtAbis: number;
  faults: { unavailable: number; timeouts: number; drops: number };
  references: number;
  /** Time spent in the 1:N scan itself, without HTTP and image decoding. */
  search: LatencyStats;
  /** Fixed-latency mode: images decoded (once each) and answers served from the memo. */
  fixedLatency: { imagesRead: number; memoHits: number };
}

export function emptyStats(): SimulatorStats {
  return {
    lds: { liveness: 0, live: 0, spoof: 0, unreadable: 0, invalid: 0 },
    abis: {
      insert: 0,
      identify: 0,
      delete: 0,
      ping: 0,
      pendingJobs: 0,
      referenceCount: 0,
      failed: 0,
      invalid: 0,
    },
    spoofSamplesAtAbis: 0,
    faults: { unavailable: 0, timeouts: 0, drops: 0 },
    references: 0,
    search: { count: 0, totalMs: 0, maxMs: 0 },
    fixedLatency: { imagesRead: 0, memoHits: 0 },
  };
}
