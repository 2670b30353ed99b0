import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, stopProcess, type ServerProcess } from '../../../test/serverProcess';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import {
  countByStatus,
  decisionEntriesPerRecord,
  pendingCount,
  waitUntil,
} from '../../../test/engineHarness';
import { generatePopulation } from '../src/generate/syntheticPeople';
import { submitBatch } from '../src/ingest/submitBatch';

/** Invariant 1: kill -9 the server mid-batch, start it again: every record decided exactly once. */
describe('a server process killed mid-batch', () => {
  let tdb: TestDatabase;
  let server: ServerProcess | undefined;
  const start = () =>
    startServerProcess({ DATABASE_URL: tdb.url, NEXUS_PARTITIONS: '4', NEXUS_WORKERS: '2' });
  const population = generatePopulation({ people: 1200, dupRate: 0.25, seed: 99, prefix: 'crash' });

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    if (server) await stopProcess(server.child, 'SIGKILL');
    await tdb?.drop();
  });

  it('decides every record exactly once after a restart on the same database', async () => {
    await submitBatch(tdb.db, 4, { source: 'crash', records: population.map((p) => p.record) });
    server = await start();
    const total = population.length;
    await waitUntil(
      'some records are decided',
      async () => (await pendingCount(tdb.db)) < total - 100,
      90_000,
    );
    const pendingAtKill = await pendingCount(tdb.db);
    await stopProcess(server.child, 'SIGKILL');
    expect(pendingAtKill).toBeGreaterThan(0); // it really died mid-batch

    server = await start();
    await waitUntil(
      'the restarted server decides the rest',
      async () => (await pendingCount(tdb.db)) === 0,
      120_000,
    );
    await stopProcess(server.child, 'SIGTERM');
    server = undefined;

    const counts = await countByStatus(tdb.db);
    const decided = (counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0);
    expect(decided + (counts.rejected ?? 0) + (counts.dead_lettered ?? 0)).toBe(total);
    const entries = await decisionEntriesPerRecord(tdb.db);
    expect(entries.size).toBe(decided);
    expect([...entries.values()].filter((n) => n !== 1)).toEqual([]);
  }, 300_000);
});
