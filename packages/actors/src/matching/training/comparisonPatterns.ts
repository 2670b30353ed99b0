/**
 * Pairs of records as comparison vectors: for each field of the model, the index of the level
 * the pair falls in (-1 when a value is missing, which weighs nothing). Pairs with the same
 * vector are counted once with a weight, so EM iterates over a few thousand patterns, not over
 * every pair.
 */
import { FIELD_COMPARERS } from '../fieldComparisons';
import type { ComparedField, MatchModel } from '../model';
import type { NormalisedRecord } from '../normaliseRecord';

/** The compared fields of a model and their level names, in the model's order. */
export interface FieldLevels {
  field: ComparedField;
  levels: string[];
}

export interface ComparisonPattern {
  /** levels[f] is the level index of field f, or -1 (missing, or a level the model lacks). */
  levels: number[];
  /** How many pairs (possibly scaled) show this vector. */
  weight: number;
}

export const NO_LEVEL = -1;

export function modelFieldLevels(model: MatchModel): FieldLevels[] {
  const out: FieldLevels[] = [];
  for (const [field, params] of Object.entries(model.fields)) {
    if (params !== undefined)
      out.push({ field: field as ComparedField, levels: params.levels.map((l) => l.level) });
  }
  return out;
}

export function comparisonLevels(
  a: NormalisedRecord,
  b: NormalisedRecord,
  fields: readonly FieldLevels[],
): number[] {
  return fields.map(({ field, levels }) => levels.indexOf(FIELD_COMPARERS[field](a, b).level));
}

/** Counts comparison vectors; identical vectors share one pattern. */
export class PatternCounter {
  private readonly byKey = new Map<string, ComparisonPattern>();

  add(levels: number[], weight = 1): void {
    const key = levels.join(',');
    const pattern = this.byKey.get(key);
    if (pattern === undefined) this.byKey.set(key, { levels, weight });
    else pattern.weight += weight;
  }

  patterns(): ComparisonPattern[] {
    return [...this.byKey.values()];
  }
}

export function countPatterns(
  pairs: Iterable<readonly [NormalisedRecord, NormalisedRecord]>,
  fields: readonly FieldLevels[],
): ComparisonPattern[] {
  const counter = new PatternCounter();
  for (const [a, b] of pairs) counter.add(comparisonLevels(a, b, fields));
  return counter.patterns();
}

/** Total weight of the patterns: the number of pairs they stand for. */
export function totalWeight(patterns: readonly ComparisonPattern[]): number {
  return patterns.reduce((t, p) => t + p.weight, 0);
}
