/** One-for-one supervision of a partition actor (docs/decisions/0004-partition-actor-supervision.md). */
export interface SupervisionPolicy {
  /** A record that fails this many times is dead-lettered and the partition goes on. */
  maxAttempts: number;
  /** Backoff before retry n is min(maxBackoffMs, baseBackoffMs * 2^(n-1)), with jitter. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** More than maxRestarts failures within restartWindowMs pauses the partition for pauseMs. */
  maxRestarts: number;
  restartWindowMs: number;
  pauseMs: number;
}

export const DEFAULT_SUPERVISION: SupervisionPolicy = {
  maxAttempts: 5,
  baseBackoffMs: 200,
  maxBackoffMs: 10_000,
  maxRestarts: 20,
  restartWindowMs: 60_000,
  pauseMs: 30_000,
};

export function backoffMs(policy: SupervisionPolicy, attempt: number, random = Math.random): number {
  const exp = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
  // Full jitter on the upper half: retries of many partitions do not hit the database together.
  return Math.round(exp / 2 + (random() * exp) / 2);
}

/** Sliding window of restart times: answers "has this partition restarted too often?". */
export class RestartWindow {
  private times: number[] = [];
  constructor(private readonly policy: SupervisionPolicy) {}

  record(now: number): boolean {
    this.times = this.times.filter((t) => now - t < this.policy.restartWindowMs);
    this.times.push(now);
    return this.times.length > this.policy.maxRestarts;
  }

  get count(): number {
    return this.times.length;
  }

  reset(): void {
    this.times = [];
  }
}
