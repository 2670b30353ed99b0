/**
 * Training on records held in memory: the records a `nexus dedupe` run is about to decide (or a
 * generated population in a test). The same steps as `nexus train` on the register, with the
 * blocked pairs found in memory. A file larger than `maxSample` records is sampled (seeded, so a
 * run repeats): random pairs and term frequencies need no more, and the blocked pairs among a
 * random share s of the records stand for 1 / s^2 as many in the whole file.
 */
import type { MatchModel } from '../model';
import type { NormalisedRecord } from '../normaliseRecord';
import { blockedPairIndexes, MAX_KEY_RECORDS } from './blockedPairs';
import { seededRandom } from './random';
import { trainModel, type TrainingOptions, type TrainingResult } from './trainModel';

export const DEFAULT_MAX_SAMPLE = 50_000;

export interface TrainOnRecordsOptions extends Partial<TrainingOptions> {
  version: string;
  maxSample?: number;
}

/** A seeded uniform sample of at most `size` items (reservoir sampling), in input order. */
export function seededSample<T>(items: readonly T[], size: number, seed: number): T[] {
  if (items.length <= size) return [...items];
  const random = seededRandom(seed);
  const picked = Array.from({ length: size }, (_, i) => i);
  for (let i = size; i < items.length; i++) {
    const j = Math.floor(random() * (i + 1));
    if (j < size) picked[j] = i;
  }
  return picked.sort((a, b) => a - b).map((i) => items[i] as T);
}

export function trainOnRecords(
  start: MatchModel,
  records: readonly NormalisedRecord[],
  options: TrainOnRecordsOptions,
): TrainingResult {
  const { maxSample = DEFAULT_MAX_SAMPLE, ...training } = options;
  const seed = training.seed ?? 1;
  const sample = seededSample(records, maxSample, seed);
  const blocked = blockedPairIndexes(sample, MAX_KEY_RECORDS).map(
    ([i, j]) => [sample[i], sample[j]] as [NormalisedRecord, NormalisedRecord],
  );
  const share = sample.length / Math.max(records.length, 1);
  return trainModel(
    start,
    {
      sample,
      blockedPairs: blocked,
      blockedPairsTotal: Math.round(blocked.length / (share * share)),
      recordsTotal: records.length,
    },
    training,
  );
}
