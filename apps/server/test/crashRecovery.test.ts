import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import {
  countByStatus,
  decisionEntriesPerRecord,
  pendingCount,
  waitUntil,
} from '../../../test/engineHarness';
import { generatePopulation } from '../src/generate/syntheticPeople';
import { submitBatch } from '../src/ingest/submitBatch';

const NEXUS = path.resolve(import.meta.dirname, '../bin/nexus.mjs');

function startServerProcess(databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, [NEXUS, 'start'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NEXUS_PARTITIONS: '4', NEXUS_WORKERS: '2' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM')
      console.error(`nexus exited ${code}: ${output}`);
  });
  return child;
}

/** Invariant 1: kill -9 the server mid-batch, start it again: every record decided exactly once. */
describe('a server process killed mid-batch', () => {
  let tdb: TestDatabase;
  let child: ChildProcess | undefined;
  const population = generatePopulation({ people: 1200, dupRate: 0.25, seed: 99, prefix: 'crash' });

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    child?.kill('SIGKILL');
    await tdb?.drop();
  });

  it('decides every record exactly once after a restart on the same database', async () => {
    await submitBatch(tdb.db, 4, { source: 'crash', records: population.map((p) => p.record) });
    child = startServerProcess(tdb.url);
    const total = population.length;
    await waitUntil(
      'some records are decided',
      async () => (await pendingCount(tdb.db)) < total - 100,
      90_000,
    );
    const pendingAtKill = await pendingCount(tdb.db);
    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    expect(pendingAtKill).toBeGreaterThan(0); // it really died mid-batch

    child = startServerProcess(tdb.url);
    await waitUntil(
      'the restarted server decides the rest',
      async () => (await pendingCount(tdb.db)) === 0,
      120_000,
    );
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = undefined;

    const counts = await countByStatus(tdb.db);
    const decided = (counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0);
    expect(decided + (counts.rejected ?? 0) + (counts.dead_lettered ?? 0)).toBe(total);
    const entries = await decisionEntriesPerRecord(tdb.db);
    expect(entries.size).toBe(decided);
    expect([...entries.values()].filter((n) => n !== 1)).toEqual([]);
  }, 300_000);
});
