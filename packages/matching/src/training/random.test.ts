import { describe, expect, it } from 'vitest';
import { pairCount, randomPairs, seededRandom } from './random';

describe('random pairs', () => {
  it('draws distinct pairs i < j, the same for the same seed', () => {
    const pairs = randomPairs(500, 2000, seededRandom(9));
    expect(pairs).toHaveLength(2000);
    expect(new Set(pairs.map(([i, j]) => `${i},${j}`)).size).toBe(2000);
    for (const [i, j] of pairs) {
      expect(i).toBeLessThan(j);
      expect(j).toBeLessThan(500);
    }
    expect(randomPairs(500, 2000, seededRandom(9))).toEqual(pairs);
  });

  it('gives every pair when asked for at least as many as there are', () => {
    expect(randomPairs(30, 1000, seededRandom(1))).toHaveLength(pairCount(30));
    expect(randomPairs(1, 10, seededRandom(1))).toEqual([]);
  });
});
