import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import {
  countByStatus,
  decisionEntriesPerRecord,
  pendingCount,
  waitUntil,
} from '../../../../test/engineHarness';
import { freshKafkaNames, startKafkaEngine } from '../../../../test/kafkaHarness';
import { resetLocalService, startLocalService, stopLocalService } from '../../../../test/localServices';
import { freePort } from '../../src/db/postgres';
import type { Engine } from '../../src/engine/engine';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { EVERYTHING } from '../../src/auth/ownership';
import { getBatch } from '../../src/batches/batchStatus';
import { submitBatch } from '../../src/ingest/submitBatch';

/** Two free ports in a row (the broker's and its controller's), for a broker of this suite's own. */
async function brokerPorts(): Promise<{ KAFKA_PORT: string; KAFKA_CONTROLLER_PORT: string }> {
  const [a, b] = [await freePort(), await freePort()];
  return { KAFKA_PORT: String(a), KAFKA_CONTROLLER_PORT: String(b) };
}

/** Invariant 1 across a broker restart: stop Kafka mid-stream, start it again, nothing lost or doubled. */
describe('a Kafka broker restarted mid-stream', () => {
  let tdb: TestDatabase;
  let engine: Engine | undefined;
  let brokers: string;
  /** A broker of this suite's own (it is stopped mid-stream), beside the run's shared one. */
  let ownBroker: NodeJS.ProcessEnv = {};
  const names = freshKafkaNames();
  const population = generatePopulation({ people: 600, dupRate: 0.25, seed: 41, prefix: 'br' });

  beforeAll(async () => {
    ownBroker = await brokerPorts();
    [brokers, tdb] = await Promise.all([startLocalService('kafka', ownBroker), createTestDatabase()]);
  });

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
    await resetLocalService('kafka', ownBroker);
  });

  it('decides every record exactly once', async () => {
    engine = await startKafkaEngine(tdb, names, {}, brokers);
    const { batchId } = await submitBatch(tdb.db, engine.bus.partitions, {
      source: 'restart',
      records: population.map((p) => p.record),
    });
    engine.relay.kick();
    const total = population.length;
    await waitUntil('some records are decided', async () => (await pendingCount(tdb.db)) < total - 100);
    await stopLocalService('kafka', ownBroker);
    const pendingWhileDown = await pendingCount(tdb.db);
    await sleep(1000);
    await startLocalService('kafka', ownBroker);
    expect(pendingWhileDown).toBeGreaterThan(0); // it really went down mid-stream
    await waitUntil(
      'the rest is decided after the restart',
      async () => (await pendingCount(tdb.db)) === 0,
      150_000,
    ).catch(async (error: unknown) => {
      // Say why: a consumer that stayed down shows on the engine's health.
      const health = await engine?.health();
      throw new Error(
        `${String(error)}; ${await pendingCount(tdb.db)} pending; engine health ${JSON.stringify(health)}`,
      );
    });

    expect((await getBatch(tdb.db, batchId, EVERYTHING)).status).toBe('completed');
    const counts = await countByStatus(tdb.db);
    const decided = (counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0);
    expect(decided + (counts.rejected ?? 0) + (counts.dead_lettered ?? 0)).toBe(total);
    expect(counts.dead_lettered ?? 0).toBe(0);
    const entries = await decisionEntriesPerRecord(tdb.db);
    expect(entries.size).toBe(decided);
    expect([...entries.values()].filter((n) => n !== 1)).toEqual([]);
  }, 240_000);
});
