import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionKey, type RawRecordMessage } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { decisionEntriesPerRecord, pendingCount, waitUntil } from '../../../../test/engineHarness';
import { deleteTopics, freshKafkaNames, kafkaBrokers, startKafkaEngine } from '../../../../test/kafkaHarness';
import type { Engine } from '../../src/engine/engine';
import { generatePopulation } from '../../src/generate/syntheticPeople';

const ENGINE_PROCESS = path.resolve(import.meta.dirname, '../../../../test/fixtures/kafkaEngineProcess.ts');
const PARTITIONS = 4;

/** A second engine, in a process of its own; `owned()` is what it last reported running. */
function startEngineProcess(settings: object): {
  child: ChildProcess;
  owned: () => number[];
  ready: Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', ENGINE_PROCESS], {
    env: { ...process.env, NEXUS_TEST_ENGINE: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let owned: number[] = [];
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        if (line === 'ready') resolve();
        const m = /^owns (.*)$/.exec(line);
        if (m) owned = m[1] ? m[1].split(',').map(Number) : [];
      }
    });
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code, signal) =>
      reject(new Error(`engine process exited ${code ?? signal}: ${output}`)),
    );
  });
  return { child, owned: () => owned, ready };
}

function messages(prefix: string, people: number, seed: number): RawRecordMessage[] {
  const receivedAt = new Date().toISOString();
  return generatePopulation({ people, dupRate: 0.3, seed, prefix }).map(({ record }) => ({
    recordId: randomUUID(),
    batchId: null,
    source: 'group',
    record,
    receivedAt,
  }));
}

async function decidedOf(tdb: TestDatabase, ids: readonly string[]): Promise<number> {
  const row = await tdb.db
    .selectFrom('records')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('id', 'in', ids)
    .where('status', 'not in', ['received', 'relayed'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function expectEachDecidedOnce(tdb: TestDatabase, expected: number): Promise<void> {
  expect(await pendingCount(tdb.db)).toBe(0);
  const rows = await tdb.db.selectFrom('records').select(['status']).execute();
  expect(rows.length).toBe(expected);
  const decided = rows.filter((r) => ['new', 'linked', 'review'].includes(r.status)).length;
  const entries = await decisionEntriesPerRecord(tdb.db);
  expect(entries.size).toBe(decided);
  expect([...entries.values()].filter((n) => n !== 1)).toEqual([]);
}

/**
 * Two engines in one consumer group: a member joining mid-stream takes over half the partitions
 * cleanly (the leaver finishes its task in flight and commits first); a member killed mid-stream
 * leaves its partitions to the other after the session timeout, from the last committed
 * positions. Every record is decided exactly once either way.
 */
describe('two engines in one consumer group', () => {
  let tdb: TestDatabase;
  let engine: Engine;
  let other: ReturnType<typeof startEngineProcess> | undefined;
  const names = freshKafkaNames();
  const first = messages('ga', 300, 31);
  const second = messages('gb', 300, 32);

  beforeAll(async () => {
    tdb = await createTestDatabase();
    engine = await startKafkaEngine(tdb, names, { NEXUS_PARTITIONS: PARTITIONS, NEXUS_WORKERS: 1 });
  });

  afterAll(async () => {
    other?.child.kill('SIGKILL');
    await engine?.stop();
    await tdb?.drop();
    await deleteTopics(names.topics);
  });

  const publish = (list: RawRecordMessage[]) =>
    engine.bus.publish(list.map((m) => ({ key: partitionKey(m.source, m.record.external_id), value: m })));

  it('shares the partitions with a member that joins mid-stream, deciding each record once', async () => {
    await publish(first);
    const ids = first.map((m) => m.recordId);
    await waitUntil('the first engine is deciding', async () => (await decidedOf(tdb, ids)) >= 40);
    other = startEngineProcess({
      databaseUrl: tdb.url,
      brokers: kafkaBrokers(),
      topics: names.topics,
      group: names.group,
      partitions: PARTITIONS,
    });
    await other.ready;
    await waitUntil('both engines own partitions', () =>
      Promise.resolve(other!.owned().length > 0 && engine.supervisor.snapshot().length < PARTITIONS),
    );
    await waitUntil(
      'the first stream is decided',
      async () => (await decidedOf(tdb, ids)) === ids.length,
      90_000,
    );
    // Each partition has one owner (the other process reports twice a second).
    await waitUntil('the two engines own the partitions between them', () => {
      const mine = engine.supervisor.snapshot().map((a) => a.partition);
      return Promise.resolve([...mine, ...other!.owned()].sort().join() === '0,1,2,3');
    });
    await expectEachDecidedOnce(tdb, first.length);
  }, 240_000);

  it('takes over the partitions of a member killed mid-stream, losing and doubling nothing', async () => {
    await publish(second);
    const ids = second.map((m) => m.recordId);
    await waitUntil('the second stream is being decided', async () => (await decidedOf(tdb, ids)) >= 60);
    other!.child.kill('SIGKILL');
    await waitUntil(
      'the survivor owns every partition',
      () => Promise.resolve(engine.supervisor.snapshot().length === PARTITIONS),
      60_000,
    );
    await waitUntil(
      'the second stream is decided',
      async () => (await decidedOf(tdb, ids)) === ids.length,
      90_000,
    );
    await expectEachDecidedOnce(tdb, first.length + second.length);
  }, 240_000);
});
