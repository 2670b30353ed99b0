import { describe, expect, it } from 'vitest';
import { percentile, WindowStats } from './windowStats';

describe('a window of decisions', () => {
  it('reports nearest-rank p50 and p95 and the mean of the latencies', () => {
    const w = new WindowStats();
    for (let ms = 1; ms <= 100; ms++) w.add(ms, undefined);
    expect(w.latency()).toEqual({ p50: 50, p95: 95, mean: 50.5 });
  });

  it('reports nothing when nothing was decided', () => {
    const w = new WindowStats();
    expect(w.latency()).toBeNull();
    expect(w.stages().validate).toEqual({ entered: 0, meanMs: null });
  });

  it('counts a record only in the stages it entered', () => {
    const w = new WindowStats();
    w.add(10, { validate: 1, liveness: 4, persist: 5 });
    w.add(4, { validate: 3, persist: 1 });
    const stages = w.stages();
    expect(stages.validate).toEqual({ entered: 2, meanMs: 2 });
    expect(stages.liveness).toEqual({ entered: 1, meanMs: 4 });
    expect(stages.biometric_search).toEqual({ entered: 0, meanMs: null });
    expect(stages.persist).toEqual({ entered: 2, meanMs: 3 });
  });

  it('keeps a bounded sample of a busy second, still close to the true percentiles', () => {
    let seed = 1;
    const w = new WindowStats(() => (seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 50_000; i++) w.add(i % 1000, undefined);
    const latency = w.latency()!;
    expect(latency.mean).toBeCloseTo(499.5, 1);
    expect(Math.abs(latency.p50 - 500)).toBeLessThan(40);
    expect(Math.abs(latency.p95 - 950)).toBeLessThan(25);
  });

  it('takes percentiles of sorted values by nearest rank', () => {
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 95)).toBe(4);
  });
});
