import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rateLimiter';

describe('RateLimiter', () => {
  it('allows a burst, then the sustained rate, per key', () => {
    const limiter = new RateLimiter(2, 3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take('a', t0).ok)).toEqual([true, true, true]);
    const refused = limiter.take('a', t0);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(limiter.take('b', t0).ok).toBe(true);
    expect(limiter.take('a', t0 + 500).ok).toBe(true);
    expect(limiter.take('a', t0 + 500).ok).toBe(false);
  });

  it('forgets the least recently used keys beyond its bound', () => {
    const limiter = new RateLimiter(1, 1, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    expect(limiter.take('a', 0).ok).toBe(true);
  });
});
