import type { BatchStatus, RecordStatus } from '@nexus/schema';
import type { Db, RecordBus } from '@nexus/actors';
import { EVERYTHING, type Viewer } from '../auth/ownership';
import { replayDeadLettered } from '../deadLetters/replayRecords';
import { getBatch, settledStatus, toBatchCounts, visibleBatches, type BatchView } from './batchStatus';
import { IngestError } from '../ingest/errors';
import { required } from '@nexus/schema';

export interface BatchFilter {
  status?: BatchStatus;
  source?: string;
  /** Batches created before this one (the previous page's nextCursor). */
  cursor?: string;
  limit: number;
}

/** Newest first, each with its counts by decision; an ingest account's own only. */
export async function listBatches(
  db: Db,
  f: BatchFilter,
  viewer: Viewer,
): Promise<{ items: BatchView[]; nextCursor: string | null }> {
  let q = visibleBatches(db, viewer)
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.source) q = q.where('source', '=', f.source);
  if (f.cursor) {
    const at = await visibleBatches(db, viewer)
      .select(['created_at', 'id'])
      .where('id', '=', f.cursor)
      .executeTakeFirst();
    if (!at) throw new IngestError('BATCH.NOT_FOUND', `no batch ${f.cursor} to page from`);
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', at.created_at),
        eb.and([eb('created_at', '=', at.created_at), eb('id', '<', at.id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  const ids = page.map((b) => b.id);
  const counts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('records')
          .select(['batch_id', 'status', (eb) => eb.fn.countAll<string>().as('n')])
          .where('batch_id', 'in', ids)
          .groupBy(['batch_id', 'status'])
          .execute();
  const byBatch = new Map<string, Map<RecordStatus, number>>();
  for (const c of counts) {
    const batchId = required(c.batch_id, 'batch_id of a record counted by batch');
    const m = byBatch.get(batchId) ?? new Map<RecordStatus, number>();
    m.set(c.status, Number(c.n));
    byBatch.set(batchId, m);
  }
  return {
    items: page.map((b) => {
      const batchCounts = toBatchCounts(b.record_count, byBatch.get(b.id) ?? new Map<RecordStatus, number>());
      const settled = (b.status === 'processing' || b.status === 'received') && batchCounts.pending === 0;
      return {
        id: b.id,
        source: b.source,
        status: settled ? settledStatus(batchCounts) : b.status,
        submittedBy: b.submitted_by,
        createdAt: b.created_at.toISOString(),
        completedAt: b.completed_at?.toISOString() ?? null,
        counts: batchCounts,
      };
    }),
    nextCursor:
      rows.length > f.limit ? required(page.at(-1), 'listBatches: last batch of a full page').id : null,
  };
}

/** Puts the batch's dead-lettered records back on the bus; a cancelled batch stays cancelled. */
export async function retryFailedRecords(
  db: Db,
  bus: RecordBus,
  batchId: string,
  actor: string,
): Promise<{ republished: number; batch: BatchView }> {
  const batch = await getBatch(db, batchId, EVERYTHING);
  if (batch.status === 'cancelled')
    throw new IngestError('BATCH.NOT_RETRIABLE', `batch ${batchId} was cancelled`);
  const republished = await replayDeadLettered(db, bus, { batchId }, actor);
  return { republished, batch: await getBatch(db, batchId, EVERYTHING) };
}
