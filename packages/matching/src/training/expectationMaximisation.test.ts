import { describe, expect, it } from 'vitest';
import { PatternCounter, type FieldLevels } from './comparisonPatterns';
import { expectationMaximisation } from './expectationMaximisation';
import { seededRandom, type Random } from './random';

/** Four fields with known m and u; comparison vectors are drawn from them directly. */
const FIELDS: FieldLevels[] = [
  { field: 'given_name', levels: ['exact', 'close', 'different'] },
  { field: 'family_name', levels: ['exact', 'close', 'different'] },
  { field: 'date_of_birth', levels: ['exact', 'typo', 'within_year', 'different'] },
  { field: 'city', levels: ['exact', 'different'] },
  { field: 'postcode', levels: ['exact', 'typo', 'different'] },
];
const TRUE_M = [
  [0.75, 0.15, 0.1],
  [0.7, 0.2, 0.1],
  [0.8, 0.1, 0.04, 0.06],
  [0.85, 0.15],
  [0.8, 0.12, 0.08],
];
const TRUE_U = [
  [0.01, 0.02, 0.97],
  [0.005, 0.01, 0.985],
  [0.0005, 0.003, 0.05, 0.9465],
  [0.05, 0.95],
  [0.002, 0.02, 0.978],
];
/** A start far from the truth: every level equally likely. */
const FLAT = TRUE_M.map((row) => row.map(() => 1 / row.length));

function draw(random: Random, probabilities: readonly number[]): number {
  let r = random();
  for (let l = 0; l < probabilities.length; l++) {
    r -= probabilities[l] ?? 0;
    if (r < 0) return l;
  }
  return probabilities.length - 1;
}

/**
 * `matches` pairs drawn from m and `others` from u; a field is missing with probability 0.1.
 * Every pair of the register is simulated: EM takes pairs it is not shown as different people,
 * so a fair test shows it all of them (or those of one blocking rule, see below).
 */
function simulate(matches: number, others: number, seed: number) {
  const random = seededRandom(seed);
  const counter = new PatternCounter();
  const vector = (params: number[][]) => params.map((p) => (random() < 0.1 ? -1 : draw(random, p)));
  for (let i = 0; i < matches; i++) counter.add(vector(TRUE_M));
  for (let i = 0; i < others; i++) counter.add(vector(TRUE_U));
  return counter.patterns();
}

describe('expectationMaximisation', () => {
  it('recovers known m and the match probability from unlabelled comparison vectors, u fixed', () => {
    const matches = 5000;
    const totalPairs = 1_000_000;
    const patterns = simulate(matches, totalPairs - matches, 7);
    const result = expectationMaximisation(patterns, FIELDS, {
      u: TRUE_U,
      m: FLAT,
      matchProbability: 1e-4,
      totalPairs,
      pairScale: 1,
      priorMatches: 10,
      priorMatchesForProbability: 1,
      maxIterations: 200,
      tolerance: 1e-6,
    });
    expect(result.converged).toBe(true);
    result.m.forEach((row, f) =>
      row.forEach((m, l) => expect(Math.abs(m - (TRUE_M[f]?.[l] ?? NaN))).toBeLessThan(0.02)),
    );
    expect(result.expectedMatches).toBeGreaterThan(matches * 0.95);
    expect(result.expectedMatches).toBeLessThan(matches * 1.05);
    expect(result.matchProbability / (matches / totalPairs)).toBeGreaterThan(0.97);
    expect(result.matchProbability / (matches / totalPairs)).toBeLessThan(1.03);
    // EM never lowers the likelihood: the estimate settles, changes shrink towards the end.
    const changes = result.history.map((h) => h.change);
    expect(changes.at(-1)!).toBeLessThan(changes[0]!);
  });

  it('counts the matches of the register from a sample of its blocked pairs', () => {
    // The register: 2,000 matches among 500,000 pairs. Blocking keeps the pairs that agree
    // (exactly or closely) on a name or the date of birth; EM reads one in four of those.
    const random = seededRandom(11);
    const agrees = (levels: number[]) =>
      [0, 1, 2].some((f) => (levels[f] ?? -1) >= 0 && (levels[f] ?? 9) <= 1);
    const blocked = new PatternCounter();
    let blockedMatches = 0;
    const keep = (matches: number, others: number, seed: number) => {
      for (const p of simulate(matches, others, seed)) {
        if (!agrees(p.levels)) continue;
        if (matches > 0) blockedMatches += p.weight;
        let kept = 0;
        for (let i = 0; i < p.weight; i++) if (random() < 0.25) kept++;
        if (kept > 0) blocked.add(p.levels, kept);
      }
    };
    keep(2000, 0, 12);
    keep(0, 498_000, 13);
    const result = expectationMaximisation(blocked.patterns(), FIELDS, {
      u: TRUE_U,
      m: TRUE_M,
      matchProbability: 1e-3,
      totalPairs: 500_000,
      pairScale: 4,
      priorMatches: 10,
      priorMatchesForProbability: 1,
      maxIterations: 100,
      tolerance: 1e-6,
    });
    expect(blockedMatches).toBeGreaterThan(1950);
    expect(result.expectedMatches / blockedMatches).toBeGreaterThan(0.9);
    expect(result.expectedMatches / blockedMatches).toBeLessThan(1.1);
  });

  it('invents no matches where there are none, and keeps every m above 0', () => {
    const patterns = simulate(0, 20_000, 3);
    const result = expectationMaximisation(patterns, FIELDS, {
      u: TRUE_U,
      m: TRUE_M,
      matchProbability: 1e-3,
      totalPairs: 1_000_000,
      pairScale: 1,
      priorMatches: 50,
      priorMatchesForProbability: 10,
      maxIterations: 100,
      tolerance: 1e-6,
    });
    expect(result.expectedMatches).toBeLessThan(20);
    for (const row of result.m) {
      expect(row.reduce((t, m) => t + m, 0)).toBeCloseTo(1, 9);
      for (const m of row) expect(m).toBeGreaterThan(0);
    }
  });

  it('keeps a small register near the starting match probability when it shows no pairs', () => {
    const options = {
      u: TRUE_U,
      m: TRUE_M,
      matchProbability: 1e-3,
      pairScale: 1,
      priorMatches: 50,
      priorMatchesForProbability: 10,
      maxIterations: 100,
      tolerance: 1e-6,
    };
    const small = expectationMaximisation([], FIELDS, { ...options, totalPairs: 4950 }); // 100 records
    expect(small.matchProbability).toBeGreaterThan(5e-4);
    expect(small.m).toEqual(TRUE_M);
    const large = expectationMaximisation([], FIELDS, { ...options, totalPairs: 5e9 }); // 100,000 records
    expect(large.matchProbability).toBeGreaterThan(0);
    expect(large.matchProbability).toBeLessThan(1e-8);
  });

  it('stops at the iteration limit and says it did not converge', () => {
    const patterns = simulate(500, 5000, 5);
    const result = expectationMaximisation(patterns, FIELDS, {
      u: TRUE_U,
      m: FLAT,
      matchProbability: 1e-4,
      totalPairs: 1_000_000,
      pairScale: 1,
      priorMatches: 10,
      priorMatchesForProbability: 1,
      maxIterations: 2,
      tolerance: 1e-12,
    });
    expect(result.iterations).toBe(2);
    expect(result.converged).toBe(false);
  });
});
