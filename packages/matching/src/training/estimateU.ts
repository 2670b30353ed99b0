/**
 * u = P(level | two different people), from pairs of records drawn at random from the register:
 * nearly all of them are different people. The few that are not (a register with duplicates
 * has some among its random pairs, and they agree on everything) would make agreement look
 * common: each pair counts with weight 1 - P(match | its levels) under the starting model,
 * which is the u step of EM over all pairs, done once. Smoothed towards the starting model's u.
 */
import type { ComparisonPattern, FieldLevels } from './comparisonPatterns';
import { NO_LEVEL } from './comparisonPatterns';
import type { LevelProbabilities } from './probabilities';
import { smoothed } from './smoothing';

export interface UEstimateOptions {
  /** The starting model's u: centre of the smoothing. */
  prior: LevelProbabilities;
  /** Pseudo-pairs given to the prior, per field. */
  priorPairs: number;
  /** P(match) of a pattern; it counts toward u with weight 1 - this. Default: 0 for every pair. */
  matchProbability?: (pattern: ComparisonPattern) => number;
}

export interface UEstimate {
  u: LevelProbabilities;
  /** Pairs compared (the patterns' weight). */
  pairs: number;
  /** Expected number of those pairs that are one person, left out of u. */
  expectedMatches: number;
}

export function estimateU(
  patterns: readonly ComparisonPattern[],
  fields: readonly FieldLevels[],
  options: UEstimateOptions,
): UEstimate {
  const counts = fields.map((f) => f.levels.map(() => 0));
  let pairs = 0;
  let expectedMatches = 0;
  for (const pattern of patterns) {
    const p = options.matchProbability?.(pattern) ?? 0;
    pairs += pattern.weight;
    expectedMatches += pattern.weight * p;
    const weight = pattern.weight * (1 - p);
    pattern.levels.forEach((level, f) => {
      const row = counts[f];
      if (level !== NO_LEVEL && row !== undefined) row[level] = (row[level] ?? 0) + weight;
    });
  }
  const u = counts.map((row, f) => smoothed(row, options.prior[f] ?? [], options.priorPairs));
  return { u, pairs, expectedMatches };
}
