import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRecordBus } from '@nexus/actors';
import type { RecordStatus } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { EVERYTHING } from '../auth/ownership';
import { listBatches, retryFailedRecords } from './batchesService';
import { cancelBatch, getBatch } from './batchStatus';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

/** A batch still `processing` in its row, whose records ended as given. */
async function batchOf(statuses: RecordStatus[]): Promise<string> {
  const batchId = randomUUID();
  await tdb.db
    .insertInto('batches')
    .values({
      id: batchId,
      source: 'fixture',
      status: 'processing',
      submitted_by: 'test',
      record_count: statuses.length,
    })
    .execute();
  for (const [i, status] of statuses.entries()) {
    await tdb.db
      .insertInto('records')
      .values({
        id: randomUUID(),
        batch_id: batchId,
        source: 'fixture',
        external_id: `${batchId}-${i}`,
        partition: 0,
        payload: JSON.stringify({ external_id: `${batchId}-${i}`, given_name: 'Ana' }) as never,
        status,
      })
      .execute();
  }
  return batchId;
}

describe('how a batch ends', () => {
  it('is completed when every record got a decision', async () => {
    const batchId = await batchOf(['new', 'linked', 'review', 'rejected']);
    expect((await getBatch(tdb.db, batchId, EVERYTHING)).status).toBe('completed');
  });

  it('waits while a record is pending, even if another was dead-lettered', async () => {
    const batchId = await batchOf(['new', 'dead_lettered', 'relayed']);
    expect((await getBatch(tdb.db, batchId, EVERYTHING)).status).toBe('processing');
  });

  it('has failed when nothing is pending and the engine gave up on a record; it is not cancellable', async () => {
    const batchId = await batchOf(['new', 'dead_lettered']);
    const view = await getBatch(tdb.db, batchId, EVERYTHING);
    expect(view).toMatchObject({ status: 'failed', counts: { pending: 0, new: 1, dead_lettered: 1 } });
    expect(view.completedAt).not.toBeNull();
    const row = await tdb.db
      .selectFrom('batches')
      .select('status')
      .where('id', '=', batchId)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
    const failed = await listBatches(tdb.db, { status: 'failed', limit: 50 }, EVERYTHING);
    expect(failed.items.map((b) => b.id)).toContain(batchId);
    await expect(cancelBatch(tdb.db, batchId, 'test', EVERYTHING)).rejects.toMatchObject({
      code: 'BATCH.NOT_CANCELLABLE',
    });
  });

  it('is listed as failed before anyone read it alone', async () => {
    const batchId = await batchOf(['dead_lettered']);
    const listed = await listBatches(tdb.db, { limit: 50 }, EVERYTHING);
    expect(listed.items.find((b) => b.id === batchId)?.status).toBe('failed');
  });

  it('reopens when its failed records are retried', async () => {
    const batchId = await batchOf(['linked', 'dead_lettered']);
    expect((await getBatch(tdb.db, batchId, EVERYTHING)).status).toBe('failed');
    const bus = await PostgresRecordBus.open(tdb.db, tdb.url, 1);
    const retried = await retryFailedRecords(tdb.db, bus, batchId, 'test');
    expect(retried.republished).toBe(1);
    expect(retried.batch).toMatchObject({ status: 'processing', counts: { pending: 1, dead_lettered: 0 } });
  });
});
