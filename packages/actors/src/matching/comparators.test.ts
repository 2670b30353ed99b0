import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { damerauLevenshtein, jaro, jaroWinkler, levenshtein, levenshteinSimilarity } from './comparators';

describe('comparators', () => {
  it('gives the textbook Jaro-Winkler values', () => {
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('dwayne', 'duane')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('dixon', 'dicksonx')).toBeCloseTo(0.8133, 4);
    expect(jaro('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', '')).toBe(1);
    expect(jaroWinkler('a', '')).toBe(0);
  });

  it('counts edits', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(damerauLevenshtein('1956', '1965')).toBe(1);
    expect(levenshtein('1956', '1965')).toBe(2);
    expect(damerauLevenshtein('ca', 'abc')).toBe(3);
    expect(levenshteinSimilarity('', '')).toBe(1);
  });

  const text = fc.string({ maxLength: 30 });

  it('similarities are symmetric, bounded and 1 on identity', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        for (const f of [jaro, jaroWinkler, levenshteinSimilarity]) {
          const ab = f(a, b);
          expect(ab).toBe(f(b, a));
          expect(ab).toBeGreaterThanOrEqual(0);
          expect(ab).toBeLessThanOrEqual(1);
          expect(f(a, a)).toBe(1);
        }
        expect(jaroWinkler(a, b)).toBeGreaterThanOrEqual(jaro(a, b));
      }),
    );
  });

  it('distances are symmetric, zero only on identity, and OSA never exceeds Levenshtein', () => {
    fc.assert(
      fc.property(text, text, (a, b) => {
        const d = damerauLevenshtein(a, b);
        expect(d).toBe(damerauLevenshtein(b, a));
        expect(levenshtein(a, b)).toBe(levenshtein(b, a));
        expect(d === 0).toBe(a === b);
        expect(d).toBeLessThanOrEqual(levenshtein(a, b));
        expect(d).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
      }),
    );
  });
});
