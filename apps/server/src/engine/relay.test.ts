import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresRecordBus, type RecordBus } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { eventually } from '../../../../test/webhookReceiver';
import { startRelay } from './relay';

let tdb: TestDatabase;

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

async function acceptRecord(): Promise<string> {
  const batchId = randomUUID();
  const recordId = randomUUID();
  await tdb.db
    .insertInto('batches')
    .values({ id: batchId, source: 'fixture', status: 'received', submitted_by: 'test', record_count: 1 })
    .execute();
  await tdb.db
    .insertInto('records')
    .values({
      id: recordId,
      batch_id: batchId,
      source: 'fixture',
      external_id: recordId,
      partition: 0,
      status: 'received',
      payload: { external_id: recordId, given_name: 'Ada' },
    })
    .execute();
  return recordId;
}

describe('the outbox relay', () => {
  it('says once that it cannot publish, keeps what was accepted, and says when it publishes again', async () => {
    const bus = await PostgresRecordBus.open(tdb.db, tdb.url, 1);
    const relay = startRelay(tdb.db, bus, { intervalMs: 20 });
    const changes: Array<string | undefined> = [];
    relay.onFailureChange((error) => changes.push(error));
    try {
      const first = await acceptRecord();
      await eventually(async () => {
        const row = await tdb.db
          .selectFrom('records')
          .select('status')
          .where('id', '=', first)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('relayed');
      });
      expect(changes).toEqual([]);

      // The batches table out of reach: every attempt fails the same way, for many retries.
      await sql`alter table batches rename to batches_away`.execute(tdb.db);
      const second = await acceptRecordWhileAway();
      await eventually(() => expect(relay.lastError()).toMatch(/batches/));
      await new Promise((resolve) => setTimeout(resolve, 20 * 8 * 4));
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatch(/batches/);

      await sql`alter table batches_away rename to batches`.execute(tdb.db);
      relay.kick();
      await eventually(async () => {
        const row = await tdb.db
          .selectFrom('records')
          .select('status')
          .where('id', '=', second)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('relayed');
      });
      expect(changes).toEqual([changes[0], undefined]);
      expect(relay.lastError()).toBeUndefined();
    } finally {
      await relay.stop();
      await bus.close();
    }
  });
});

describe('waking the outbox relay', () => {
  it('does not lose a kick that comes while it is publishing', async () => {
    const inner = await PostgresRecordBus.open(tdb.db, tdb.url, 1, 'kick-test');
    // The first publish waits for the test: the second record is accepted and the relay kicked
    // while the first is on its way, which is when a steady stream of submissions kicks it.
    let publishing: () => void = () => undefined;
    const firstPublishStarted = new Promise<void>((started) => {
      publishing = started;
    });
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let publishes = 0;
    const bus: RecordBus = {
      partitions: inner.partitions,
      openConsumer: (group) => inner.openConsumer(group),
      close: () => inner.close(),
      publish: async (messages) => {
        if (publishes++ === 0) {
          publishing();
          await released;
        }
        await inner.publish(messages);
      },
    };
    // An hour between polls: only a kick can relay the second record within the test.
    const relay = startRelay(tdb.db, bus, { intervalMs: 3_600_000 });
    try {
      await acceptRecord();
      relay.kick();
      await firstPublishStarted;
      const second = await acceptRecord();
      relay.kick();
      release();
      await eventually(async () => {
        const row = await tdb.db
          .selectFrom('records')
          .select('status')
          .where('id', '=', second)
          .executeTakeFirstOrThrow();
        expect(row.status).toBe('relayed');
      });
    } finally {
      release();
      await relay.stop();
      await bus.close();
    }
  });
});

/** A record accepted while the batches table is renamed: written straight into records. */
async function acceptRecordWhileAway(): Promise<string> {
  const recordId = randomUUID();
  const batch = await sql<{ id: string }>`
    insert into batches_away (id, source, status, submitted_by, record_count)
    values (${randomUUID()}, 'fixture', 'received', 'test', 1) returning id`.execute(tdb.db);
  await tdb.db
    .insertInto('records')
    .values({
      id: recordId,
      batch_id: batch.rows[0]?.id ?? null,
      source: 'fixture',
      external_id: recordId,
      partition: 0,
      status: 'received',
      payload: { external_id: recordId, given_name: 'Grace' },
    })
    .execute();
  return recordId;
}
