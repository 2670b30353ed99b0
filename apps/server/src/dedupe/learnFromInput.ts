/**
 * `nexus dedupe` learns the model from the records it is about to decide, before it decides any
 * (docs/decisions/0028-learning-the-model-from-the-data-at-hand.md): u from random pairs of the
 * input, term frequencies of its values, the match prior and m by EM over the pairs that share
 * a blocking key, starting from (and smoothed towards) the shipped defaults. No labels are read.
 * The learned model is stored as a model version and made active, so every decision records it.
 */
import { createEnricher, storeModelVersion, type Db, type EnrichmentConfig } from '@nexus/actors';
import { DEFAULT_MODEL, normaliseRecord, trainOnRecords, type NormalisedRecord } from '@nexus/matching';
import { readRecordFile } from '../files';
import { sourceFor, type DedupeInput } from './runDedupe';

/** Fewer records than this say too little about m and u: the defaults decide. */
export const MIN_LEARNING_RECORDS = 50;

export interface LearnedModel {
  /** The model_versions row that decides the run. */
  versionId: number;
  /** What decided, for the summary: `learned from the input (...)` or `defaults (...)`. */
  description: string;
  /** The model's version string. */
  version: string;
}

export async function learnFromInput(
  db: Db,
  input: DedupeInput,
  options: { defaultCountry?: string; seed?: number; enrichment?: EnrichmentConfig } = {},
): Promise<LearnedModel> {
  // The records are learned from as the engine will compare them: enriched the same way.
  const enricher = createEnricher(options.enrichment, { defaultCountry: options.defaultCountry });
  const records: NormalisedRecord[] = [];
  for (const file of input.files) {
    const source = sourceFor(file, input.source);
    for await (const row of readRecordFile(file, { map: input.map, source })) {
      if (!row.ok) continue;
      const plain = normaliseRecord(row.record, { defaultCountry: options.defaultCountry });
      records.push((await enricher.enrich(row.record, plain)).normalised);
    }
  }
  if (records.length < MIN_LEARNING_RECORDS) {
    const description = `defaults ${DEFAULT_MODEL.version} (${records.length} records: too few to learn from, ${MIN_LEARNING_RECORDS} needed)`;
    const versionId = await storeModelVersion(db, DEFAULT_MODEL, {
      kind: 'default',
      notes: description,
      activate: true,
    });
    return { versionId, description, version: DEFAULT_MODEL.version };
  }
  const seed = options.seed ?? 1;
  const result = trainOnRecords(DEFAULT_MODEL, records, {
    version: `learned-from-input-${records.length}`,
    seed,
  });
  const description =
    `learned from the input (${records.length} records, ${result.blockedPairs} blocked pairs, ` +
    `EM ${result.iterations} iterations${result.converged ? '' : ', not converged'}, ` +
    `match probability ${result.model.matchProbability.toExponential(2)}) from defaults ${DEFAULT_MODEL.version}`;
  const versionId = await storeModelVersion(db, result.model, {
    kind: 'trained',
    notes: description,
    activate: true,
  });
  return { versionId, description, version: result.model.version };
}
