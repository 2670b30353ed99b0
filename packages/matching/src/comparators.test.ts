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

  // The comparators reuse their buffers between calls (a batch makes millions of calls); these
  // are the textbook forms, one fresh array per call, that they must agree with exactly, also
  // when a long pair is followed by a short one (stale flags or rows would show).
  it('agree exactly with the textbook forms, whatever came before', () => {
    const words = fc.string({ maxLength: 40, unit: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'n', 'r') });
    fc.assert(
      fc.property(fc.array(fc.tuple(words, words), { minLength: 1, maxLength: 8 }), (pairs) => {
        for (const [a, b] of pairs) {
          expect(jaro(a, b)).toBe(textbookJaro(a, b));
          expect(damerauLevenshtein(a, b)).toBe(textbookOsa(a, b));
        }
      }),
      { numRuns: 500 },
    );
  });
});

function textbookJaro(s1: string, s2: string): number {
  if (s1 === s2) return 1;
  const [a, b] = s1 <= s2 ? [s1, s2] : [s2, s1];
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Uint8Array(a.length);
  const bMatched = new Uint8Array(b.length);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window); j++) {
      if (bMatched[j] === 1 || a[i] !== b[j]) continue;
      aMatched[i] = 1;
      bMatched[j] = 1;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let half = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (aMatched[i] === 0) continue;
    while (bMatched[j] === 0) j++;
    if (a[i] !== b[j]) half++;
    j++;
  }
  const t = Math.floor(half / 2);
  return (matches / a.length + matches / b.length + (matches - t) / matches) / 3;
}

function textbookOsa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}
