import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, partitionFor, partitionKey, PUBLISHED_AUDIT_ACTIONS } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import {
  countByStatus,
  decisionEntriesPerRecord,
  pendingCount,
  waitUntil,
} from '../../../../test/engineHarness';
import {
  deleteTopics,
  freshKafkaNames,
  readTopic,
  rewindGroup,
  startKafkaEngine,
} from '../../../../test/kafkaHarness';
import type { Engine } from '../../src/engine/engine';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { EVERYTHING } from '../../src/auth/ownership';
import { getBatch } from '../../src/batches/batchStatus';
import { streamRecord } from '../../src/ingest/streamRecord';
import { submitBatch } from '../../src/ingest/submitBatch';

/** Both ingestion paths end to end on a real Kafka broker, and the events they leave on nexus.events. */
describe('the engine on Kafka', () => {
  let tdb: TestDatabase;
  let engine: Engine;
  const names = freshKafkaNames();
  const batch = generatePopulation({ people: 150, dupRate: 0.3, seed: 11, prefix: 'ka' });
  const stream = generatePopulation({ people: 60, dupRate: 0.3, seed: 12, prefix: 'kb' });
  const total = batch.length + stream.length;
  let batchId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    engine = await startKafkaEngine(tdb, names);
    // Path A: one transaction stores the batch, the relay publishes it to raw_records.
    const receipt = await submitBatch(tdb.db, engine.bus.partitions, {
      source: 'batch',
      records: batch.map((p) => p.record),
    });
    batchId = receipt.batchId;
    engine.relay.kick();
    // Path B: each record produced straight to raw_records (acks=all), the actor writes its row.
    for (const p of stream)
      await streamRecord(tdb.db, engine.bus, { source: 'stream', record: p.record }, null);
    await waitUntil('every record is decided', async () => {
      const n = await tdb.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) === total && (await pendingCount(tdb.db)) === 0;
    });
    await waitUntil('every position is committed', async () =>
      [...(await engine.supervisor.lag()).values()].every((n) => n === 0),
    );
    await waitUntil('every event is relayed', async () => (await engine.events.backlog()) === 0);
  });

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
    await deleteTopics(names.topics);
  });

  it('decides both paths, each record exactly once, in the partition of its key', async () => {
    expect((await getBatch(tdb.db, batchId, EVERYTHING)).status).toBe('completed');
    const counts = await countByStatus(tdb.db);
    const decided = (counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0);
    expect(decided + (counts.rejected ?? 0) + (counts.dead_lettered ?? 0)).toBe(total);
    expect(counts.linked ?? 0).toBeGreaterThan(0);
    const entries = await decisionEntriesPerRecord(tdb.db);
    expect(entries.size).toBe(decided);
    expect([...entries.values()].filter((n) => n !== 1)).toEqual([]);
    const rows = await tdb.db.selectFrom('records').select(['source', 'external_id', 'partition']).execute();
    for (const r of rows)
      expect(r.partition).toBe(partitionFor(partitionKey(r.source, r.external_id), engine.bus.partitions));
  });

  it('publishes one record.decided event per record and one event per published audit entry, keyed by entity', async () => {
    const events = (await readTopic(names.topics.events)).map((m) => ({
      ...m,
      event: parseEvent(JSON.parse(m.value)),
    }));
    const decidedEvents = events.filter((e) => e.event.type === 'record.decided');
    expect(new Set(decidedEvents.map((e) => e.event.id)).size).toBe(total);
    for (const e of events) {
      expect(e.key).toBe(e.event.key);
      expect(e.headers['event-id']).toBe(e.event.id);
    }
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('action', 'in', [...PUBLISHED_AUDIT_ACTIONS])
      .executeTakeFirstOrThrow();
    expect(new Set(events.filter((e) => /^audit:\d+$/.test(e.event.id)).map((e) => e.event.id)).size).toBe(
      Number(audit.n),
    );
    // The topic carries exactly the log webhooks and long polls read.
    const log = await tdb.db
      .selectFrom('notifications')
      .select(['event_id', 'type', 'key', 'sequence'])
      .orderBy('id')
      .execute();
    const byId = (list: Array<{ id: string; type: string; key: string; sequence: number }>) =>
      [...list].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    expect(
      byId(events.map(({ event: { id, type, key, sequence } }) => ({ id, type, key, sequence }))),
    ).toEqual(byId(log.map((r) => ({ id: r.event_id, type: r.type, key: r.key, sequence: r.sequence }))));
  });

  it('absorbs a redelivery of the whole log without telling any event twice', async () => {
    const before = await countByStatus(tdb.db);
    const audit = () =>
      tdb.db
        .selectFrom('audit_log')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
    const auditBefore = await audit();
    const eventsBefore = await readTopic(names.topics.events);
    await engine.stop();
    await rewindGroup(names.group, names.topics.records);
    engine = await startKafkaEngine(tdb, names);
    await waitUntil('the rewound log is consumed again', async () =>
      [...(await engine.supervisor.lag()).values()].every((n) => n === 0),
    );
    expect(await countByStatus(tdb.db)).toEqual(before);
    expect((await audit()).n).toBe(auditBefore.n);
    // A replayed record writes nothing, so it has no event to tell again: the topic is as it was.
    await waitUntil('every event is relayed', async () => (await engine.events.backlog()) === 0);
    const eventsAfter = await readTopic(names.topics.events);
    const ids = (list: typeof eventsAfter) => list.map((m) => parseEvent(JSON.parse(m.value)).id).sort();
    expect(ids(eventsAfter)).toEqual(ids(eventsBefore));
  });
});
