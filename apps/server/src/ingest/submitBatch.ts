import { randomUUID } from 'node:crypto';
import {
  MAX_BATCH_RECORDS,
  parseCanonicalRecord,
  partitionFor,
  partitionKey,
  type CanonicalRecord,
  type FieldError,
} from '@nexus/schema';
import { sealPersonal, timeOrderedId, type Db } from '@nexus/actors';
import { EVERYTHING, viewerOf, type Submitter } from '../auth/ownership';
import { IngestError } from './errors';
import { claimSource } from './sourceOwners';

export { MAX_BATCH_RECORDS };
const INSERT_CHUNK = 1_000;

export interface BatchSubmission {
  source: string;
  records: unknown[];
  /** The account submitting it, its owner; none for the engine's own runs (`nexus dedupe`, tests). */
  submitter?: Submitter | null;
  /** The job that fetched the records (docs/decisions/0033-jobs.md). */
  jobId?: string;
  /**
   * Runs inside the batch's transaction after its records are stored: a job writes its resume
   * position here, so the position and the rows are stored together or not at all.
   */
  alsoInTransaction?: (trx: Db, receipt: BatchReceipt) => Promise<void>;
}

export interface BatchReceipt {
  batchId: string;
  accepted: number;
  rejected: Array<{ index: number; errors: FieldError[] }>;
  /**
   * Records whose (source, external_id) was already known: accepted, and processed once. `batchId`
   * is the batch holding the record the server has (this one for a repeat within it; null when
   * it came by the stream), so that a client re-sending a file can wait for all of it.
   */
  duplicates: Array<{ index: number; externalId: string; batchId: string | null }>;
  warnings: Array<{ index: number; warnings: FieldError[] }>;
}

/**
 * Path A: the batch and all its valid records are stored in ONE transaction (status `received`);
 * the relay then puts them on the bus. Invalid records are answered with their index and errors.
 */
export async function submitBatch(
  db: Db,
  partitions: number,
  submission: BatchSubmission,
): Promise<BatchReceipt> {
  const source = submission.source.trim();
  if (source === '' || source.length > 200)
    throw new IngestError('SOURCE.INVALID', 'source must be 1 to 200 characters');
  if (submission.records.length === 0)
    throw new IngestError('BATCH.EMPTY', 'a batch needs at least one record');
  if (submission.records.length > MAX_BATCH_RECORDS) {
    throw new IngestError(
      'BATCH.TOO_LARGE',
      `a batch holds at most ${MAX_BATCH_RECORDS.toLocaleString('en')} records; this one has ${submission.records.length.toLocaleString('en')}: split it`,
    );
  }
  const receipt: BatchReceipt = {
    batchId: randomUUID(),
    accepted: 0,
    rejected: [],
    duplicates: [],
    warnings: [],
  };
  const valid: Array<{ index: number; record: CanonicalRecord }> = [];
  const seen = new Set<string>();
  submission.records.forEach((raw, index) => {
    const parsed = parseCanonicalRecord(raw, { source });
    if (!parsed.ok) return receipt.rejected.push({ index, errors: parsed.errors });
    // A record always belongs to the batch's source: external ids are unique per source.
    const record = { ...parsed.record, source };
    if (parsed.warnings.length > 0) receipt.warnings.push({ index, warnings: parsed.warnings });
    if (seen.has(record.external_id))
      return receipt.duplicates.push({ index, externalId: record.external_id, batchId: null });
    seen.add(record.external_id);
    valid.push({ index, record });
  });

  // Repeats within this batch; records the database already holds are found below.
  const repeats = receipt.duplicates.length;
  const submitter = submission.submitter ?? null;
  /** external_id -> the batch holding the stored record. */
  const holders = new Map<string, string | null>();
  await db.transaction().execute(async (trx) => {
    await claimSource(trx, source, submitter ? viewerOf(submitter) : EVERYTHING);
    await trx
      .insertInto('batches')
      .values({
        id: receipt.batchId,
        source,
        status: 'received',
        submitted_by: submitter?.username ?? null,
        submitted_by_id: submitter?.userId ?? null,
        record_count: 0,
        ...(submission.jobId ? { job_id: submission.jobId } : {}),
      })
      .execute();
    let stored = 0;
    for (let i = 0; i < valid.length; i += INSERT_CHUNK) {
      const chunk = valid.slice(i, i + INSERT_CHUNK);
      const inserted = await trx
        .insertInto('records')
        .values(
          chunk.map(({ record }) => ({
            id: timeOrderedId(),
            batch_id: receipt.batchId,
            source,
            external_id: record.external_id,
            partition: partitionFor(partitionKey(source, record.external_id), partitions),
            payload: JSON.stringify(sealPersonal(record)) as never,
            status: 'received' as const,
          })),
        )
        .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
        .returning('external_id')
        .execute();
      stored += inserted.length;
      const fresh = new Set(inserted.map((r) => r.external_id));
      for (const id of fresh) holders.set(id, receipt.batchId);
      const known = chunk.filter(({ record }) => !fresh.has(record.external_id));
      if (known.length === 0) continue;
      const rows = await trx
        .selectFrom('records')
        .select(['external_id', 'batch_id'])
        .where('source', '=', source)
        .where(
          'external_id',
          'in',
          known.map(({ record }) => record.external_id),
        )
        .execute();
      for (const r of rows) holders.set(r.external_id, r.batch_id);
      for (const { index, record } of known)
        receipt.duplicates.push({ index, externalId: record.external_id, batchId: null });
    }
    await trx
      .updateTable('batches')
      .set({ record_count: stored })
      .where('id', '=', receipt.batchId)
      .execute();
    if (submission.alsoInTransaction) {
      receipt.accepted = valid.length + repeats;
      await submission.alsoInTransaction(trx, receipt);
    }
  });
  receipt.accepted = valid.length + repeats;
  for (const d of receipt.duplicates) d.batchId = holders.get(d.externalId) ?? null;
  receipt.duplicates.sort((a, b) => a.index - b.index);
  return receipt;
}
