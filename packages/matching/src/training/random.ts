/**
 * A small seeded random source, so that a training run (and a test) can be repeated exactly, and
 * the sampling of random record pairs that u is estimated from.
 */

import type { Random } from '@nexus/schema';

export { seededRandom, type Random } from '@nexus/schema';

export function pairCount(n: number): number {
  return (n * (n - 1)) / 2;
}

/**
 * `count` distinct pairs (i < j) of n items drawn uniformly at random, or every pair when there
 * are no more than that.
 */
export function randomPairs(n: number, count: number, random: Random): Array<[number, number]> {
  const all = pairCount(n);
  const out: Array<[number, number]> = [];
  if (all <= count) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push([i, j]);
    return out;
  }
  const seen = new Set<number>();
  while (out.length < count) {
    const a = Math.floor(random() * n);
    const b = Math.floor(random() * n);
    if (a === b) continue;
    const i = Math.min(a, b);
    const j = Math.max(a, b);
    const key = i * n + j;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([i, j]);
  }
  return out;
}
