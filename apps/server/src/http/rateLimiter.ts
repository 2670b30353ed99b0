export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

/**
 * Token buckets by client key: `ratePerSecond` sustained, `burst` at once. Keeps at most
 * `maxKeys` buckets (least recently used go first), so a flood of keys cannot grow memory; a
 * forgotten bucket was idle longest, and a new one starts full, as an idle one would be.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly maxKeys = 50_000,
  ) {}

  /**
   * Takes `cost` tokens (one per call: a batch of calls costs its size, at most a full bucket);
   * when too few are left, says how long until there are enough.
   */
  take(key: string, now = Date.now(), cost = 1): RateDecision {
    const need = Math.min(Math.max(1, cost), this.burst);
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    this.buckets.delete(key);
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    if (bucket.tokens < need)
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((need - bucket.tokens) / this.ratePerSecond)),
      };
    bucket.tokens -= need;
    return { ok: true };
  }

  /** Buckets kept now. */
  get size(): number {
    return this.buckets.size;
  }
}
