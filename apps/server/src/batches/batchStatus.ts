import { sql } from 'kysely';
import {
  PENDING_RECORD_STATUSES,
  type BatchStatus,
  type DecisionCounts,
  type RecordStatus,
} from '@nexus/schema';
import type { Db } from '@nexus/actors';
import type { Viewer } from '../auth/ownership';
import { IngestError } from '../ingest/errors';

export interface BatchCounts extends DecisionCounts {
  records: number;
  pending: number;
}

export interface BatchView {
  id: string;
  source: string;
  status: BatchStatus;
  /** The user or service account that submitted it (null for batches from before it was kept). */
  submittedBy: string | null;
  createdAt: string;
  completedAt: string | null;
  counts: BatchCounts;
}

/**
 * The status of a batch with nothing left pending: `failed` when the engine gave up on some of
 * its records (dead-lettered after NEXUS_MAX_ATTEMPTS tries), which need an operator (retrying
 * them reopens the batch); else `completed`.
 */
export function settledStatus(counts: BatchCounts): 'completed' | 'failed' {
  return counts.dead_lettered > 0 ? 'failed' : 'completed';
}

/** Batches the viewer may see: all, or those it submitted. */
export function visibleBatches(db: Db, viewer: Viewer) {
  const q = db.selectFrom('batches');
  return viewer.sees === 'own' ? q.where('batches.submitted_by_id', '=', viewer.userId) : q;
}

/** Someone else's batch is answered exactly as one that does not exist. */
const noBatch = (batchId: string) => new IngestError('BATCH.NOT_FOUND', `no batch ${batchId}`);

/** A batch with counts by decision; its status follows from the counts once nothing is pending. */
export async function getBatch(db: Db, batchId: string, viewer: Viewer): Promise<BatchView> {
  const batch = await visibleBatches(db, viewer).selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw noBatch(batchId);
  const rows = await db
    .selectFrom('records')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('batch_id', '=', batchId)
    .groupBy('status')
    .execute();
  const counts = toBatchCounts(batch.record_count, new Map(rows.map((r) => [r.status, Number(r.n)])));
  let status = batch.status;
  // A batch whose records were all duplicates or invalid stores none: nothing to wait for.
  if ((status === 'processing' || status === 'received') && counts.pending === 0) {
    status = settledStatus(counts);
    await db
      .updateTable('batches')
      .set({ status, completed_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', batchId)
      .where('status', 'in', ['processing', 'received'])
      .execute();
  }
  const finished = status === 'completed' || status === 'failed';
  return {
    id: batch.id,
    source: batch.source,
    status,
    submittedBy: batch.submitted_by,
    createdAt: batch.created_at.toISOString(),
    completedAt: batch.completed_at?.toISOString() ?? (finished ? new Date().toISOString() : null),
    counts,
  };
}

/** Counts by decision from a batch's record count and its records grouped by status. */
export function toBatchCounts(recordCount: number, by: Map<RecordStatus, number>): BatchCounts {
  return {
    records: recordCount,
    pending: (by.get('received') ?? 0) + (by.get('relayed') ?? 0),
    new: by.get('new') ?? 0,
    linked: by.get('linked') ?? 0,
    review: by.get('review') ?? 0,
    rejected: by.get('rejected') ?? 0,
    dead_lettered: by.get('dead_lettered') ?? 0,
    cancelled: by.get('cancelled') ?? 0,
  };
}

/**
 * Cancels what is not yet decided; decided records stay as they are. Locks are taken in the
 * relay's order (the batch's records, then the batch row), so a cancel racing the relay waits
 * for it instead of deadlocking; records the relay is publishing right now are cancelled once it
 * commits, and the deciders skip cancelled records.
 */
export async function cancelBatch(
  db: Db,
  batchId: string,
  actor: string,
  viewer: Viewer,
): Promise<BatchView> {
  await db.transaction().execute(async (trx) => {
    const found = await visibleBatches(trx, viewer)
      .select('status')
      .where('id', '=', batchId)
      .executeTakeFirst();
    if (!found) throw noBatch(batchId);
    const notCancellable = (status: string) =>
      new IngestError('BATCH.NOT_CANCELLABLE', `batch ${batchId} is already ${status}`);
    if (['completed', 'failed', 'cancelled'].includes(found.status)) throw notCancellable(found.status);
    const cancelled = await trx
      .updateTable('records')
      .set({ status: 'cancelled', decided_at: sql`now()` })
      .where('batch_id', '=', batchId)
      .where('status', 'in', PENDING_RECORD_STATUSES)
      .executeTakeFirst();
    const batch = await trx
      .updateTable('batches')
      .set({ status: 'cancelled', updated_at: sql`now()` })
      .where('id', '=', batchId)
      .where('status', 'not in', ['completed', 'failed', 'cancelled'])
      .returning('id')
      .executeTakeFirst();
    if (!batch) throw notCancellable('finished');
    await trx
      .insertInto('audit_log')
      .values({
        actor,
        action: 'batch.cancelled',
        entity_type: 'batch',
        entity_id: batchId,
        record_id: null,
        before: JSON.stringify({ status: found.status }) as never,
        after: JSON.stringify({
          status: 'cancelled',
          recordsCancelled: Number(cancelled.numUpdatedRows),
        }) as never,
      })
      .execute();
  });
  return getBatch(db, batchId, viewer);
}
