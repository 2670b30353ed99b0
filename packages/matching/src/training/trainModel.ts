/**
 * Training without labels, as `nexus train` runs it on the records already decided:
 *   1. u from random pairs of a random sample of records (estimateU.ts),
 *   2. m and the match probability by EM over pairs that share a blocking key, u fixed
 *      (expectationMaximisation.ts),
 *   3. term frequencies of the sample's common values (termFrequencyTables.ts),
 * starting from (and smoothed towards) the model in use. Pure: the caller reads the data.
 */
import type { MatchModel } from '../model';
import { ModelTermFrequencies } from '../termFrequencies';
import type { NormalisedRecord } from '../normaliseRecord';
import { countPatterns, modelFieldLevels } from './comparisonPatterns';
import { estimateU } from './estimateU';
import { expectationMaximisation, type EmIteration } from './expectationMaximisation';
import { matchPosterior, modelProbabilities } from './probabilities';
import { pairCount, randomPairs, seededRandom } from './random';
import { DEFAULT_TF_OPTIONS, termFrequencyTables, type TermFrequencyOptions } from './termFrequencyTables';

export interface TrainingData {
  /** Records drawn at random from the register: random pairs and term frequencies come from them. */
  sample: readonly NormalisedRecord[];
  /** Pairs of records sharing a blocking key: all of them, or a random sample of them. */
  blockedPairs: ReadonlyArray<readonly [NormalisedRecord, NormalisedRecord]>;
  /** Pairs sharing a blocking key in the whole register (>= blockedPairs.length). */
  blockedPairsTotal: number;
  /** Decided records in the register. */
  recordsTotal: number;
}

export interface TrainingOptions {
  /** The trained model's version string (stored with every decision it makes). */
  version: string;
  /** Random pairs drawn from the sample to estimate u. */
  randomPairs: number;
  maxIterations: number;
  tolerance: number;
  /** Strength of the starting m in the smoothing, in pseudo-matches per field. */
  priorMatches: number;
  /** Strength of the starting match probability, in pseudo-matches. */
  priorMatchesForProbability: number;
  /** Strength of the starting u in the smoothing, in pseudo-pairs per field. */
  priorPairs: number;
  seed: number;
  termFrequencies: TermFrequencyOptions;
}

export const DEFAULT_TRAINING_OPTIONS: Omit<TrainingOptions, 'version'> = {
  randomPairs: 200_000,
  maxIterations: 100,
  tolerance: 1e-4,
  priorMatches: 50,
  priorMatchesForProbability: 10,
  priorPairs: 100_000,
  seed: 1,
  termFrequencies: DEFAULT_TF_OPTIONS,
};

export interface TrainingResult {
  model: MatchModel;
  randomPairs: number;
  /** Expected matches among the random pairs, left out of u. */
  randomPairMatches: number;
  blockedPairs: number;
  blockedPairsTotal: number;
  /** Comparison patterns (distinct vectors) among the blocked pairs. */
  patterns: number;
  iterations: number;
  converged: boolean;
  /** Expected matching pairs in the register under the trained model. */
  expectedMatches: number;
  history: EmIteration[];
}

export function trainModel(
  start: MatchModel,
  data: TrainingData,
  options: Partial<TrainingOptions> & Pick<TrainingOptions, 'version'>,
): TrainingResult {
  const o: TrainingOptions = { ...DEFAULT_TRAINING_OPTIONS, ...options };
  const fields = modelFieldLevels(start);
  const m0 = modelProbabilities(start, fields, 'm');
  const u0 = modelProbabilities(start, fields, 'u');

  const random = seededRandom(o.seed);
  const sample = data.sample;
  // The register's term frequencies weigh each pair in EM as the decision will weigh it.
  const termFrequencies = termFrequencyTables(sample, o.termFrequencies);
  const tf = { tf: new ModelTermFrequencies(termFrequencies), minimumU: start.tfMinimumU };
  const pairs = randomPairs(sample.length, o.randomPairs, random).map(
    ([i, j]) => [sample[i], sample[j]] as [NormalisedRecord, NormalisedRecord],
  );
  const uEstimate = estimateU(countPatterns(pairs, fields, tf), fields, {
    prior: u0,
    priorPairs: o.priorPairs,
    matchProbability: (p) => matchPosterior(p, m0, u0, start.matchProbability),
  });

  const blocked = countPatterns(data.blockedPairs, fields, tf);
  const em = expectationMaximisation(blocked, fields, {
    u: uEstimate.u,
    m: m0,
    matchProbability: start.matchProbability,
    totalPairs: pairCount(Math.max(data.recordsTotal, sample.length, 2)),
    pairScale:
      data.blockedPairs.length > 0 ? Math.max(data.blockedPairsTotal / data.blockedPairs.length, 1) : 1,
    priorMatches: o.priorMatches,
    priorMatchesForProbability: o.priorMatchesForProbability,
    maxIterations: o.maxIterations,
    tolerance: o.tolerance,
  });

  const model: MatchModel = {
    version: o.version,
    matchProbability: em.matchProbability,
    tfMinimumU: start.tfMinimumU,
    fields: {},
    termFrequencies,
  };
  fields.forEach(({ field }, f) => {
    const levels = start.fields[field]?.levels ?? [];
    model.fields[field] = {
      levels: levels.map((level, l) => ({
        ...level,
        m: em.m[f]?.[l] ?? level.m,
        u: uEstimate.u[f]?.[l] ?? level.u,
      })),
    };
  });
  return {
    model,
    randomPairs: uEstimate.pairs,
    randomPairMatches: uEstimate.expectedMatches,
    blockedPairs: data.blockedPairs.length,
    blockedPairsTotal: data.blockedPairsTotal,
    patterns: blocked.length,
    iterations: em.iterations,
    converged: em.converged,
    expectedMatches: em.expectedMatches,
    history: em.history,
  };
}
