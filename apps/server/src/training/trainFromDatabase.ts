/**
 * `nexus train` as a service: reads the register (readTrainingData.ts), trains (the pure core in
 * @nexus/actors matching/training) starting from the shipped defaults, whose levels are those the
 * running code compares and whose m/u are the smoothing prior, stores the result as a new
 * model_versions row of kind 'trained' and, when asked, activates it. Running workers switch to
 * the newly active version within a few seconds (they check it between micro-batches).
 */
import { loadActiveModel, storeModelVersion, type Db } from '@nexus/actors';
import {
  DEFAULT_MODEL,
  MAX_KEY_RECORDS,
  trainModel,
  type MatchModel,
  type TrainingData,
  type TrainingOptions,
  type TrainingResult,
} from '@nexus/matching';
import { readTrainingData, type ReadTrainingOptions } from './readTrainingData';

export interface TrainOptions extends Partial<ReadTrainingOptions> {
  maxIterations?: number;
  activate: boolean;
}

export interface TrainOutcome {
  /** The id of the new model_versions row. */
  versionId: number;
  activated: boolean;
  /** The model that was active before (the printed table compares with it). */
  before: { versionId: number; params: MatchModel };
  result: TrainingResult;
  recordsTotal: number;
  sample: number;
}

export const DEFAULT_SAMPLE = 20_000;
export const DEFAULT_MAX_PAIRS = 200_000;

export class NotEnoughDataError extends Error {
  readonly code = 'TRAIN.NOT_ENOUGH_DATA';
}

/** Fewer decided records than this say too little about m and u. */
const MIN_RECORDS = 50;

export interface LearnedFromRegister {
  result: TrainingResult;
  recordsTotal: number;
  sample: number;
  /** What was learned from what, for the version's notes. */
  notes: string;
}

/** Runs EM and the rest of training: here, or on a thread of its own (retraining.ts). */
export type Trainer = (
  start: MatchModel,
  data: TrainingData,
  options: Partial<TrainingOptions> & { version: string },
) => Promise<TrainingResult>;

const trainHere: Trainer = (start, data, options) => Promise.resolve(trainModel(start, data, options));

/** The learning step alone (also the server's self-retraining, retraining.ts): nothing is stored. */
export async function learnFromRegister(
  db: Db,
  options: Partial<ReadTrainingOptions> & {
    maxIterations?: number;
    version: string;
    activeVersion: string;
    train?: Trainer;
  },
): Promise<LearnedFromRegister> {
  const seed = options.seed ?? 1;
  const data = await readTrainingData(db, {
    sample: options.sample ?? DEFAULT_SAMPLE,
    maxPairs: options.maxPairs ?? DEFAULT_MAX_PAIRS,
    maxKeyRecords: options.maxKeyRecords ?? MAX_KEY_RECORDS,
    seed,
    ...(options.heldBackShare === undefined ? {} : { heldBackShare: options.heldBackShare }),
  });
  if (data.recordsTotal < MIN_RECORDS) {
    throw new NotEnoughDataError(
      `only ${data.recordsTotal} decided records: train needs at least ${MIN_RECORDS}`,
    );
  }
  const result = await (options.train ?? trainHere)(DEFAULT_MODEL, data, {
    version: options.version,
    seed,
    ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
  });
  const notes = [
    `trained ${new Date().toISOString()} from the defaults ${DEFAULT_MODEL.version}; ${options.activeVersion} was active`,
    `records ${data.recordsTotal}, sample ${data.sample.length}`,
    `random pairs ${result.randomPairs} (${result.randomPairMatches.toFixed(1)} expected matches left out of u)`,
    `blocked pairs ${result.blockedPairs} of ${result.blockedPairsTotal}, patterns ${result.patterns}`,
    `EM ${result.iterations} iterations, ${result.converged ? 'converged' : 'NOT converged'}`,
    `match probability ${result.model.matchProbability.toExponential(3)} (${result.expectedMatches.toFixed(0)} expected matching pairs)`,
  ].join('; ');
  return { result, recordsTotal: data.recordsTotal, sample: data.sample.length, notes };
}

/** A version string that says when it was trained: `<prefix>-YYYYMMDD-HHMMSS`. */
export function trainedVersionName(prefix: string, at: Date = new Date()): string {
  return `${prefix}-${at.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-')}`;
}

export async function trainFromDatabase(db: Db, options: TrainOptions): Promise<TrainOutcome> {
  const before = await loadActiveModel(db);
  const { result, recordsTotal, sample, notes } = await learnFromRegister(db, {
    ...options,
    version: trainedVersionName('trained'),
    activeVersion: `version ${before.version} (${before.params.version})`,
  });
  const versionId = await storeModelVersion(db, result.model, {
    kind: 'trained',
    notes,
    activate: options.activate,
  });
  return {
    versionId,
    activated: options.activate,
    before: { versionId: before.version, params: before.params },
    result,
    recordsTotal,
    sample,
  };
}
