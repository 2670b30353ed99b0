import { sql } from 'kysely';
import type { BatchStatus, RecordStatus } from '@nexus/schema';
import type { Db } from '@nexus/actors';
import { IngestError } from './errors';

export interface BatchCounts {
  records: number;
  pending: number;
  new: number;
  linked: number;
  review: number;
  rejected: number;
  dead_lettered: number;
  cancelled: number;
}

export interface BatchView {
  id: string;
  source: string;
  status: BatchStatus;
  createdAt: string;
  counts: BatchCounts;
}

/** A batch with counts by decision; its status follows from the counts (completed when nothing is pending). */
export async function getBatch(db: Db, batchId: string): Promise<BatchView> {
  const batch = await db.selectFrom('batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch) throw new IngestError('BATCH.NOT_FOUND', `no batch ${batchId}`);
  const rows = await db
    .selectFrom('records')
    .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
    .where('batch_id', '=', batchId)
    .groupBy('status')
    .execute();
  const by = new Map<RecordStatus, number>(rows.map((r) => [r.status, Number(r.n)]));
  const counts: BatchCounts = {
    records: batch.record_count,
    pending: (by.get('received') ?? 0) + (by.get('relayed') ?? 0),
    new: by.get('new') ?? 0,
    linked: by.get('linked') ?? 0,
    review: by.get('review') ?? 0,
    rejected: by.get('rejected') ?? 0,
    dead_lettered: by.get('dead_lettered') ?? 0,
    cancelled: by.get('cancelled') ?? 0,
  };
  let status = batch.status;
  if (status === 'processing' && counts.pending === 0) {
    status = 'completed';
    await db
      .updateTable('batches')
      .set({ status, completed_at: sql`now()`, updated_at: sql`now()` })
      .where('id', '=', batchId)
      .where('status', '=', 'processing')
      .execute();
  }
  return { id: batch.id, source: batch.source, status, createdAt: batch.created_at.toISOString(), counts };
}

/** Cancels what is not yet decided; decided records stay as they are. */
export async function cancelBatch(db: Db, batchId: string, actor: string): Promise<BatchView> {
  await db.transaction().execute(async (trx) => {
    const batch = await trx.selectFrom('batches').select('status').where('id', '=', batchId).forUpdate().executeTakeFirst();
    if (!batch) throw new IngestError('BATCH.NOT_FOUND', `no batch ${batchId}`);
    if (batch.status === 'completed' || batch.status === 'cancelled') {
      throw new IngestError('BATCH.NOT_CANCELLABLE', `batch ${batchId} is already ${batch.status}`);
    }
    const cancelled = await trx
      .updateTable('records')
      .set({ status: 'cancelled', decided_at: sql`now()` })
      .where('batch_id', '=', batchId)
      .where('status', 'in', ['received', 'relayed'])
      .executeTakeFirst();
    await trx.updateTable('batches').set({ status: 'cancelled', updated_at: sql`now()` }).where('id', '=', batchId).execute();
    await trx
      .insertInto('audit_log')
      .values({
        actor,
        action: 'batch.cancelled',
        entity_type: 'batch',
        entity_id: batchId,
        record_id: null,
        before: JSON.stringify({ status: batch.status }) as never,
        after: JSON.stringify({ status: 'cancelled', recordsCancelled: Number(cancelled.numUpdatedRows) }) as never,
      })
      .execute();
  });
  return getBatch(db, batchId);
}
