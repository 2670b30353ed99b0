import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { PartitionLeases } from './partitionLeases';

/** pg's warning for a query sent while the client's previous one still runs (refused by pg 9). */
const overlapping: string[] = [];
const onWarning = (w: Error) => {
  if (w.message.includes('already executing a query')) overlapping.push(w.message);
};

describe('partition leases (the Kafka bus fence)', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    process.on('warning', onWarning);
  });
  afterAll(async () => {
    process.off('warning', onWarning);
    await tdb.drop();
  });

  it('releases partitions during a rebalance while it takes others, one query at a time', async () => {
    const leases = new PartitionLeases(tdb.url, 'leases-test', () => undefined);
    const other = new PartitionLeases(tdb.url, 'leases-test', () => undefined);
    const all = [0, 1, 2, 3, 4, 5];
    try {
      expect([...(await leases.acquire(all))].sort()).toEqual(all);
      for (let round = 0; round < 5; round++) {
        // A revocation's releases and the next assignment's acquire arrive together.
        const [, , held] = await Promise.all([leases.release(1), leases.release(4), leases.acquire(all)]);
        // In turn: the acquire runs after both releases, so it takes them back.
        expect([...held].sort()).toEqual(all);
      }
      // The locks are real: another process gets nothing until they are released.
      expect([...(await other.acquire(all))]).toEqual([]);
      await Promise.all([leases.release(2), leases.release(3)]);
      expect([...(await other.acquire(all))].sort()).toEqual([2, 3]);
      await new Promise((r) => setImmediate(r));
      expect(overlapping).toEqual([]);
    } finally {
      await leases.close();
      await other.close();
    }
  });

  it('gives its leases up when its connection is cut', async () => {
    let lost = 0;
    const leases = new PartitionLeases(tdb.url, 'leases-cut', () => lost++);
    const other = new PartitionLeases(tdb.url, 'leases-cut', () => undefined);
    try {
      await leases.acquire([0, 1]);
      const admin = new pg.Client({ connectionString: tdb.url });
      await admin.connect();
      await admin.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
         where application_name = 'nexus-partition-leases' and pid <> pg_backend_pid()
           and datname = current_database()`,
      );
      await admin.end();
      await expect.poll(() => lost, { timeout: 10_000 }).toBeGreaterThan(0);
      expect([...leases.owned]).toEqual([]);
    } finally {
      await leases.close();
      await other.close();
    }
  });
});
