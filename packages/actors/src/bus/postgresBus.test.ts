import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { KyselyPlugin } from 'kysely';
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

describe('the Postgres bus consumer waiting for messages', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb.drop();
  });

  it('reads again when a message is announced while its read runs, instead of waiting for another', async () => {
    // The consumer's first read after `armed` is held once it has answered (empty): a message is
    // published and announced in that window, which is when a steady stream of records meets an
    // actor going back to the bus after a task.
    let armed = false;
    let readAnswered: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => (readAnswered = resolve));
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holdOneRead: KyselyPlugin = {
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (armed) {
          armed = false;
          readAnswered();
          await released;
        }
        return args.result;
      },
    };
    const topic = 'notify-race';
    const bus = await PostgresRecordBus.open(tdb.db.withPlugin(holdOneRead), tdb.url, 1, topic);
    const publisher = await PostgresRecordBus.open(tdb.db, tdb.url, 1, topic);
    const consumer = await bus.openConsumer('group-a');
    const listener = new pg.Client({ connectionString: tdb.url });
    try {
      await listener.connect();
      await listener.query('listen nexus_bus');
      const heard = new Promise((resolve) => listener.once('notification', resolve));
      armed = true;
      // An hour's wait: only the notification that came during the read can end it in the test.
      const fetched = consumer.fetch(0, 0, 10, 3_600_000);
      await answered;
      const recordId = randomUUID();
      await publisher.publish([
        {
          key: recordId,
          value: {
            recordId,
            batchId: null,
            source: 'fixture',
            record: { external_id: recordId, attributes: {} },
            receivedAt: '',
          },
        },
      ]);
      await heard;
      // The consumer's own connection hears it as this one did; give its socket a moment.
      await sleep(500);
      release();
      const outcome = await Promise.race([fetched, sleep(30_000).then(() => 'still waiting')]);
      expect(outcome).toHaveLength(1);
    } finally {
      release();
      await listener.end();
      await consumer.close();
    }
  }, 60_000);
});
