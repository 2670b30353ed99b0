/**
 * Pairs of records as comparison vectors: for each field of the model, the index of the level
 * the pair falls in (-1 when a value is missing, which weighs nothing). Pairs with the same
 * vector are counted once with a weight, so EM iterates over a few thousand patterns, not over
 * every pair.
 */
import { FIELD_COMPARERS } from '../fieldComparisons';
import type { ComparedField, MatchModel, TermFrequencies } from '../model';
import type { NormalisedRecord } from '../normaliseRecord';

/** The compared fields of a model and their level names, in the model's order. */
export interface FieldLevels {
  field: ComparedField;
  levels: string[];
  /** tf[l]: level l is adjusted by the agreed value's term frequency (levelWeight). */
  tf?: boolean[];
}

export interface ComparisonPattern {
  /** levels[f] is the level index of field f, or -1 (missing, or a level the model lacks). */
  levels: number[];
  /** How many pairs (possibly scaled) show this vector. */
  weight: number;
  /**
   * tfU[f]: the share of the value two records agree on, for a term-frequency level (floored
   * as levelWeight floors it, rounded to half a bit so that patterns still group); absent for
   * other levels. EM then weighs a pattern as the decision does: MUELLER = MUELLER says little.
   */
  tfU?: Array<number | null>;
}

export const NO_LEVEL = -1;

export function modelFieldLevels(model: MatchModel): FieldLevels[] {
  const out: FieldLevels[] = [];
  for (const [field, params] of Object.entries(model.fields)) {
    if (params !== undefined)
      out.push({
        field: field as ComparedField,
        levels: params.levels.map((l) => l.level),
        tf: params.levels.map((l) => l.tf === true),
      });
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

/** How the term frequencies of a register enter the patterns. */
export interface PatternTermFrequencies {
  tf: TermFrequencies;
  /** The model's floor on a term-frequency u (tfMinimumU). */
  minimumU: number;
}

/** Rounded to half a bit: shares within ~40% of one another share a pattern. */
function roundedShare(share: number): number {
  return 2 ** (Math.round(Math.log2(share) * 2) / 2);
}

function comparisonPattern(
  a: NormalisedRecord,
  b: NormalisedRecord,
  fields: readonly FieldLevels[],
  tf: PatternTermFrequencies | undefined,
): { levels: number[]; tfU?: Array<number | null> } {
  const levels: number[] = [];
  const tfU: Array<number | null> = [];
  let adjusted = false;
  for (const { field, levels: names, tf: flags } of fields) {
    const comparison = FIELD_COMPARERS[field](a, b);
    const level = names.indexOf(comparison.level);
    levels.push(level);
    let share: number | null = null;
    if (tf !== undefined && level !== NO_LEVEL && flags?.[level] === true && comparison.value !== undefined) {
      const f = tf.tf.frequency(field, comparison.value);
      if (f !== undefined && Number.isFinite(f)) share = roundedShare(Math.max(f, tf.minimumU));
    }
    if (share !== null) adjusted = true;
    tfU.push(share);
  }
  return adjusted ? { levels, tfU } : { levels };
}

/** Counts comparison vectors; identical vectors share one pattern. */
export class PatternCounter {
  private readonly byKey = new Map<string, ComparisonPattern>();

  add(levels: number[], weight = 1, tfU?: Array<number | null>): void {
    const key = tfU === undefined ? levels.join(',') : `${levels.join(',')}|${tfU.join(',')}`;
    const pattern = this.byKey.get(key);
    if (pattern === undefined)
      this.byKey.set(key, tfU === undefined ? { levels, weight } : { levels, weight, tfU });
    else pattern.weight += weight;
  }

  patterns(): ComparisonPattern[] {
    return [...this.byKey.values()];
  }
}

export function countPatterns(
  pairs: Iterable<readonly [NormalisedRecord, NormalisedRecord]>,
  fields: readonly FieldLevels[],
  tf?: PatternTermFrequencies,
): ComparisonPattern[] {
  const counter = new PatternCounter();
  for (const [a, b] of pairs) {
    const pattern = comparisonPattern(a, b, fields, tf);
    counter.add(pattern.levels, 1, pattern.tfU);
  }
  return counter.patterns();
}

/** Total weight of the patterns: the number of pairs they stand for. */
export function totalWeight(patterns: readonly ComparisonPattern[]): number {
  return patterns.reduce((t, p) => t + p.weight, 0);
}
