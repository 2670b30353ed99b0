/**
 * Estimates from counts with a Dirichlet prior: each level gets `strength` pseudo-observations
 * spread as the prior distribution (the starting model's m or u), so a level seen rarely in the
 * sample stays near its prior instead of falling to 0 (an infinite weight), and a level seen
 * often is decided by the data. A last floor keeps every probability strictly positive.
 */

export const PROBABILITY_FLOOR = 1e-7;

export function smoothed(counts: readonly number[], prior: readonly number[], strength: number): number[] {
  const priorTotal = prior.reduce((t, p) => t + p, 0);
  const observed = counts.reduce((t, c) => t + c, 0);
  // Nothing observed (a field the register does not hold): the prior stands as it is.
  if (observed === 0 && priorTotal > 0) return prior.map((p) => Math.max(p, PROBABILITY_FLOOR));
  const total = observed + strength;
  const uniform = 1 / Math.max(counts.length, 1);
  const estimate = counts.map((c, l) => {
    const p = priorTotal > 0 ? (prior[l] ?? 0) / priorTotal : uniform;
    return total > 0 ? (c + strength * p) / total : p;
  });
  const floored = estimate.map((p) => Math.max(p, PROBABILITY_FLOOR));
  const sum = floored.reduce((t, p) => t + p, 0);
  return floored.map((p) => p / sum);
}
