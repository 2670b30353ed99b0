/**
 * The Fellegi-Sunter model: for every compared field an ordered list of comparison levels, each
 * with m = P(level | same person) and u = P(level | different people). A level's weight is the
 * log2 Bayes factor log2(m / u); a missing value weighs 0. m and u stay explicit probabilities
 * (not just weights) so that `nexus train` can re-estimate them (u from random pairs, m by EM).
 */

export const COMPARED_FIELDS = [
  'given_name',
  'middle_name',
  'family_name',
  'date_of_birth',
  'gender',
  'national_id',
  'email',
  'phone',
  'street_number',
  'street',
  'locality',
  'city',
  'postcode',
  'state',
  'country',
  'birth_place',
] as const;

export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface LevelParams {
  level: string;
  m: number;
  u: number;
  /** Exact agreement on a common value is weaker evidence: use the value's frequency as u. */
  tf?: boolean;
}

export interface FieldParams {
  levels: LevelParams[];
}

export interface MatchModel {
  /** Changes whenever a parameter changes; stored with every decision it made. */
  version: string;
  /** P(two records picked at random are the same person); the prior is its log2 odds. */
  matchProbability: number;
  fields: Partial<Record<ComparedField, FieldParams>>;
  /** Floor on a term-frequency u, so one rare value cannot outweigh everything else. */
  tfMinimumU: number;
  /**
   * Term frequencies measured by `nexus train` on the register, carried in the model so that the
   * engine needs no table of its own; absent in the shipped defaults (model u used throughout).
   */
  termFrequencies?: Partial<Record<ComparedField, TermFrequencyTable>>;
}

/** The common values of one field with their share, and one share standing for every other value. */
export interface TermFrequencyTable {
  /** Share of records (among those with the field) holding each of the most common values. */
  values: Record<string, number>;
  /**
   * Share of a value outside `values`: the mean share of those values, weighted by how often two
   * records agree on each (sum of share squared over sum of share), so it is what an exact
   * agreement on an uncommon value is worth on average.
   */
  other: number;
}

/** Share of records having a value of a field, among records where the field is present. */
export interface TermFrequencies {
  frequency(field: string, value: string): number | undefined;
}

export const MISSING = 'missing';

export function log2BayesFactor(m: number, u: number): number {
  const tiny = 1e-12;
  return Math.log2(Math.max(m, tiny) / Math.max(u, tiny));
}

export function priorLog2Odds(model: MatchModel): number {
  const p = Math.min(Math.max(model.matchProbability, 1e-12), 1 - 1e-12);
  return Math.log2(p / (1 - p));
}

/**
 * The parameters of a field's level: the first of that name, as Array.find would give, in a
 * plain loop since this runs for every field of every pair scored (no closure per call).
 */
function levelParams(model: MatchModel, field: ComparedField, level: string): LevelParams | undefined {
  const levels = model.fields[field]?.levels;
  if (levels === undefined) return undefined;
  for (const l of levels) if (l.level === level) return l;
  return undefined;
}

/**
 * Weight of one level for one pair. Term frequency replaces u only for levels marked tf (exact
 * agreement, where both values are `value`), floored by the model's minimum; an agreement on a
 * very common value says little, but never counts against a match.
 */
export function levelWeight(
  model: MatchModel,
  field: ComparedField,
  level: string,
  value: string | undefined,
  tf?: TermFrequencies,
): number {
  if (level === MISSING) return 0;
  const params = levelParams(model, field, level);
  if (params === undefined) return 0;
  if (params.tf === true && tf !== undefined && value !== undefined) {
    const f = tf.frequency(field, value);
    if (f !== undefined && Number.isFinite(f)) {
      return Math.max(0, log2BayesFactor(params.m, Math.max(f, model.tfMinimumU)));
    }
  }
  return log2BayesFactor(params.m, params.u);
}
