/** The figures every bench reports from its samples: percentiles of latencies, medians of runs. */

export function ascending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

/** The p-th percentile (0-100) of values sorted ascending, by nearest rank below; 0 when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length));
  const value = sorted[rank];
  if (value === undefined) throw new Error(`percentile ${p}: no sample at rank ${rank} of ${sorted.length}`);
  return value;
}

/** The middle value (the upper one of an even count); 0 when there are none. */
export function median(values: readonly number[]): number {
  return percentile(ascending(values), 50);
}
