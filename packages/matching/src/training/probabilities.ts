/**
 * m and u as arrays indexed [field][level] (the order of FieldLevels), and the posterior match
 * probability of a comparison pattern under them: the arithmetic EM and u estimation share.
 */
import { log2BayesFactor, type MatchModel } from '../model';
import { NO_LEVEL, type ComparisonPattern, type FieldLevels } from './comparisonPatterns';

/** probabilities[f][l]: P(level l of field f | match) for m, | non-match for u. */
export type LevelProbabilities = number[][];

/** Reads m or u of every field level from a model (0 for a level it lacks). */
export function modelProbabilities(
  model: MatchModel,
  fields: readonly FieldLevels[],
  which: 'm' | 'u',
): LevelProbabilities {
  return fields.map(({ field, levels }) => {
    const params = model.fields[field]?.levels ?? [];
    return levels.map((name) => params.find((l) => l.level === name)?.[which] ?? 0);
  });
}

export function log2Odds(p: number): number {
  const q = Math.min(Math.max(p, 1e-15), 1 - 1e-15);
  return Math.log2(q / (1 - q));
}

/**
 * log2 Bayes factor of a pattern: the sum of its levels' weights, missing ones weighing 0; a
 * term-frequency level weighs with the agreed value's share as u, never below 0 (levelWeight).
 */
export function patternLog2BayesFactor(
  pattern: ComparisonPattern,
  m: LevelProbabilities,
  u: LevelProbabilities,
): number {
  let total = 0;
  pattern.levels.forEach((level, f) => {
    if (level === NO_LEVEL) return;
    const share = pattern.tfU?.[f];
    total +=
      share === undefined || share === null
        ? log2BayesFactor(m[f]?.[level] ?? 0, u[f]?.[level] ?? 0)
        : Math.max(0, log2BayesFactor(m[f]?.[level] ?? 0, share));
  });
  return total;
}

/** P(match | pattern) for a prior match probability. */
export function matchPosterior(
  pattern: ComparisonPattern,
  m: LevelProbabilities,
  u: LevelProbabilities,
  priorMatchProbability: number,
): number {
  const odds = log2Odds(priorMatchProbability) + patternLog2BayesFactor(pattern, m, u);
  return 1 / (1 + 2 ** -odds);
}
