import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { PostgresRecordBus } from './postgresBus';

/** pg's warning for a query sent while the client's previous one still runs. */
const overlapping: string[] = [];
const onWarning = (w: Error) => {
  if (w.message.includes('already executing a query')) overlapping.push(w.message);
};

describe('the Postgres bus consumer', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await tdb.drop();
  });

  it('releases partitions while it claims others, one query at a time on its connection', async () => {
    const bus = await PostgresRecordBus.open(tdb.db, tdb.url, 6, 'bus-test');
    const consumer = await bus.openConsumer('group-a');
    const other = await bus.openConsumer('group-a');
    try {
      expect(await consumer.claimPartitions()).toEqual([0, 1, 2, 3, 4, 5]);
      for (let round = 0; round < 5; round++) {
        const [, , claimed] = await Promise.all([
          consumer.release(1),
          consumer.release(4),
          consumer.claimPartitions(),
        ]);
        // In turn: the claim runs after both releases, so it takes them back.
        expect(claimed).toEqual([0, 1, 2, 3, 4, 5]);
      }
      // The session locks are real: another consumer of the group gets nothing until they go.
      expect(await other.claimPartitions()).toEqual([]);
      await Promise.all([consumer.release(2), consumer.release(3)]);
      expect(await other.claimPartitions()).toEqual([2, 3]);
      await new Promise((r) => setImmediate(r));
      expect(overlapping).toEqual([]);
    } finally {
      await consumer.close();
      await other.close();
    }
  });
});
