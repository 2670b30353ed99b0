/**
 * Scores one pair of normalised records under a Fellegi-Sunter model: the prior log2 odds plus
 * one log2 Bayes factor per compared field. Everything an explanation needs is in the result.
 */
import { FIELD_COMPARERS } from './fieldComparisons';
import {
  COMPARED_FIELDS,
  levelWeight,
  priorLog2Odds,
  type ComparedField,
  type MatchModel,
  type TermFrequencies,
} from './model';
import type { NormalisedRecord } from './normaliseRecord';

export interface FieldScore {
  field: ComparedField;
  level: string;
  weight: number;
  left: string | null;
  right: string | null;
}

export interface PairScore {
  /** log2 prior odds of a match. */
  prior: number;
  fields: FieldScore[];
  /** prior + every field weight: log2 posterior odds that the two records are one person. */
  total: number;
}

export function comparePair(
  a: NormalisedRecord,
  b: NormalisedRecord,
  model: MatchModel,
  tf?: TermFrequencies,
): PairScore {
  const prior = priorLog2Odds(model);
  const fields: FieldScore[] = [];
  let total = prior;
  for (const field of COMPARED_FIELDS) {
    if (model.fields[field] === undefined) continue;
    const { level, left, right, value } = FIELD_COMPARERS[field](a, b);
    const weight = levelWeight(model, field, level, value, tf);
    total += weight;
    fields.push({ field, level, weight, left, right });
  }
  return { prior, fields, total };
}

/** log2 odds to a probability, for display. */
export function matchProbability(log2Odds: number): number {
  return 1 / (1 + 2 ** -log2Odds);
}
