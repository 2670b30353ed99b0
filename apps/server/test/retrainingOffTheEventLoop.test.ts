import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCount, waitUntil } from '../../../test/engineHarness';
import { startTestServer, type TestServer } from '../../../test/serverHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { generatePopulation } from '../src/generate/syntheticPeople';
import { submitBatch } from '../src/ingest/submitBatch';

/** Milliseconds since the epoch, on the clock the training thread reports its span with. */
const now = () => performance.timeOrigin + performance.now();

describe('retraining runs off the event loop (docs/decisions/0057-rldata-dates-and-housemates-without-a-date.md)', () => {
  let tdb: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // Automatic retraining off: the test starts the one it watches.
    server = await startTestServer(tdb, { NEXUS_RETRAIN_FIRST_RECORDS: '0' });
    const people = generatePopulation({ people: 300, dupRate: 0.5, seed: 21, prefix: 'r' });
    await submitBatch(tdb.db, server.nexus.engine.bus.partitions, {
      source: 'register',
      records: people.map((p) => p.record),
    });
    server.nexus.engine.relay.kick();
    await waitUntil('the register is decided', async () => (await pendingCount(tdb.db)) === 0, 180_000);
  }, 240_000);
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });

  it('trains and checks on another thread while the server keeps answering requests', async () => {
    const token = await server.tokenFor('admin');
    let retraining = true;
    const answered: number[] = [];
    // Health requests one after another for as long as the retraining lasts; each answer needs
    // this thread's event loop (the server runs in it), so none can arrive while EM holds it.
    const polling = (async () => {
      while (retraining) {
        const response = await fetch(`${server.url}/health`);
        await response.arrayBuffer();
        if (response.ok) answered.push(now());
      }
    })();
    const response = await fetch(`${server.url}/api/v1/models/retrain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    retraining = false;
    await polling;
    expect(response.status).toBe(201);
    const report = (await response.json()) as {
      computed: {
        training: { threadId: number; startedAt: number; finishedAt: number };
        check: { threadId: number; startedAt: number; finishedAt: number };
      };
    };
    const { training, check } = report.computed;
    expect(training.threadId).not.toBe(threadId);
    expect(check.threadId).toBe(training.threadId);
    const during = (span: { startedAt: number; finishedAt: number }) =>
      answered.filter((t) => t > span.startedAt && t < span.finishedAt).length;
    expect(during(training) + during(check)).toBeGreaterThan(0);
  }, 240_000);
});
