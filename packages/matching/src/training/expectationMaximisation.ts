/**
 * m = P(level | same person) by expectation-maximisation without labels, u held fixed (as
 * Splink does: u comes from random pairs, where it is well measured).
 *
 * The model is a two-class mixture over ALL pairs of the register. Pairs that share no blocking
 * key are taken to be different people (their posterior is ~0), so only blocked pairs carry
 * information about m and about how many matches there are:
 *   E: P(match | levels) for each blocked pattern, with the prior of a random pair;
 *   M: m = posterior-weighted level shares (smoothed towards the starting m),
 *      matchProbability = expected matches among the blocked pairs / all pairs of the register
 *      (with a weak Beta prior: `priorMatchesForProbability` pseudo-matches at the starting
 *      probability, so a small register stays near it and none falls to 0).
 * Using the random-pair prior (not a free share of matches among blocked pairs) keeps the fit
 * honest: blocked non-matches agree on their blocking fields far more often than u says, and a
 * free blocked-pair share would count them as matches.
 */
import { NO_LEVEL, type ComparisonPattern, type FieldLevels } from './comparisonPatterns';
import { matchPosterior, type LevelProbabilities } from './probabilities';
import { smoothed } from './smoothing';

export interface EmOptions {
  /** u, fixed. */
  u: LevelProbabilities;
  /** Starting m, also the centre of the smoothing. */
  m: LevelProbabilities;
  /** Starting P(two random records of the register are one person). */
  matchProbability: number;
  /** Pairs of records in the register: n (n - 1) / 2. */
  totalPairs: number;
  /** Blocked pairs in the register per blocked pair in the patterns (>= 1 when sampled). */
  pairScale: number;
  /** Pseudo-matches given to the starting m, per field. */
  priorMatches: number;
  /** Pseudo-matches (among as many pairs as the starting probability implies) for the probability. */
  priorMatchesForProbability: number;
  maxIterations: number;
  /** Stop when no m moves by more than this and matchProbability by less than this share. */
  tolerance: number;
}

export interface EmIteration {
  iteration: number;
  matchProbability: number;
  /** Expected matching pairs in the register. */
  expectedMatches: number;
  /** Largest change of any m (or relative change of matchProbability) in this iteration. */
  change: number;
}

export interface EmResult {
  m: LevelProbabilities;
  matchProbability: number;
  expectedMatches: number;
  iterations: number;
  converged: boolean;
  history: EmIteration[];
}

const MIN_PROBABILITY = 1e-9;
const MAX_PROBABILITY = 0.5;

export function expectationMaximisation(
  patterns: readonly ComparisonPattern[],
  fields: readonly FieldLevels[],
  options: EmOptions,
): EmResult {
  let m = options.m.map((row) => [...row]);
  let lambda = options.matchProbability;
  const history: EmIteration[] = [];
  let expectedMatches = lambda * options.totalPairs;
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    const counts = fields.map((f) => f.levels.map(() => 0));
    let matches = 0;
    for (const pattern of patterns) {
      const p = matchPosterior(pattern, m, options.u, lambda) * pattern.weight;
      matches += p;
      pattern.levels.forEach((level, f) => {
        const row = counts[f];
        if (level !== NO_LEVEL && row !== undefined) row[level] = (row[level] ?? 0) + p;
      });
    }
    const next = counts.map((row, f) => smoothed(row, options.m[f] ?? [], options.priorMatches));
    expectedMatches = matches * options.pairScale;
    const prior = options.priorMatchesForProbability;
    const nextLambda = Math.min(
      Math.max(
        (expectedMatches + prior) / (Math.max(options.totalPairs, 1) + prior / options.matchProbability),
        MIN_PROBABILITY,
      ),
      MAX_PROBABILITY,
    );
    let change = Math.abs(nextLambda - lambda) / lambda;
    next.forEach((row, f) =>
      row.forEach((v, l) => (change = Math.max(change, Math.abs(v - (m[f]?.[l] ?? 0))))),
    );
    m = next;
    lambda = nextLambda;
    history.push({ iteration, matchProbability: lambda, expectedMatches, change });
    if (change < options.tolerance)
      return {
        m,
        matchProbability: lambda,
        expectedMatches,
        iterations: iteration,
        converged: true,
        history,
      };
  }
  return {
    m,
    matchProbability: lambda,
    expectedMatches,
    iterations: history.length,
    converged: false,
    history,
  };
}
