import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, type EventEnvelope } from '@nexus/schema';
import type { Db } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { pendingCount, startTestEngine, waitUntil } from '../../../../test/engineHarness';
import { deleteTopics, freshKafkaNames, readTopic, startKafkaEngine } from '../../../../test/kafkaHarness';
import type { Engine } from '../../src/engine/engine';
import { mergeGoldenRecords, splitGoldenRecord } from '../../src/customers/mergeAndSplit';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { submitBatch } from '../../src/ingest/submitBatch';

/**
 * Issue 17 "done means": the same input gives the same event stream on the Postgres outbox (no
 * Kafka: read from the log webhooks and long polls read) and on Kafka (read from `nexus.events`).
 * Ids of golden records, cases and records are random per run, so keys are compared through
 * what they stand for (the record's source and external id, the record that founded a golden
 * record or raised a case). One partition: the decisions, and so the stream, follow input order.
 */
describe('the event stream on the Postgres outbox and on Kafka', () => {
  const people = generatePopulation({ people: 30, dupRate: 0.5, seed: 4242, prefix: 'par' });
  const names = freshKafkaNames();
  let pg: { tdb: TestDatabase; engine: Engine };
  let kafka: { tdb: TestDatabase; engine: Engine };

  /** Submits the input in order, waits for every decision, then merges and splits as an admin would. */
  async function run(tdb: TestDatabase, engine: Engine): Promise<void> {
    // One batch per record, one after the other: the relay publishes them in that order.
    for (const [i, p] of people.entries()) {
      await submitBatch(tdb.db, 1, { source: i % 3 === 0 ? 'benefits' : 'crm', records: [p.record] });
      engine.relay.kick();
    }
    await waitUntil('every record is decided', async () => {
      const n = await tdb.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) === people.length && (await pendingCount(tdb.db)) === 0;
    });
    const labels = await labelsOf(tdb.db);
    const goldens = await tdb.db
      .selectFrom('golden_records')
      .select(['id', 'member_count'])
      .where('status', '=', 'active')
      .execute();
    goldens.sort(
      (a, b) => b.member_count - a.member_count || (labels.get(a.id)! < labels.get(b.id)! ? -1 : 1),
    );
    const [survivor, merged] = goldens;
    await tdb.db.transaction().execute((trx) =>
      mergeGoldenRecords(trx, {
        survivorId: survivor!.id,
        mergedIds: [merged!.id],
        reason: 'same person',
        actor: 'admin',
      }),
    );
    const members = await tdb.db
      .selectFrom('golden_record_members')
      .select('record_id')
      .where('golden_id', '=', survivor!.id)
      .where('precedence', '=', 'secondary')
      .execute();
    const leaving = members
      .map((m) => m.record_id)
      .sort((a, b) => (labels.get(a)! < labels.get(b)! ? -1 : 1))[0]!;
    await tdb.db.transaction().execute((trx) =>
      splitGoldenRecord(trx, {
        goldenId: survivor!.id,
        recordId: leaving,
        reason: 'wrong',
        actor: 'admin',
      }),
    );
    await waitUntil('every event is relayed', async () => (await engine.events.backlog()) === 0);
  }

  beforeAll(async () => {
    const pgDb = await createTestDatabase();
    pg = { tdb: pgDb, engine: await startTestEngine(pgDb, { NEXUS_PARTITIONS: 1, NEXUS_WORKERS: 1 }) };
    const kDb = await createTestDatabase();
    kafka = {
      tdb: kDb,
      engine: await startKafkaEngine(kDb, names, { NEXUS_PARTITIONS: 1, NEXUS_WORKERS: 1 }),
    };
    await run(pg.tdb, pg.engine);
    await run(kafka.tdb, kafka.engine);
  }, 180_000);

  afterAll(async () => {
    for (const side of [pg, kafka]) {
      await side?.engine.stop();
      await side?.tdb.drop();
    }
    await deleteTopics(names.topics);
  });

  it('has the same events, types, keys, sequences and sources on both', async () => {
    const fromLog = (await pg.tdb.db.selectFrom('notifications').selectAll().orderBy('id').execute()).map(
      (r) =>
        parseEvent({
          id: r.event_id,
          type: r.type,
          key: r.key,
          sequence: r.sequence,
          schemaVersion: r.schema_version,
          source: r.source,
          createdAt: r.created_at.toISOString(),
          data: r.data,
        }),
    );
    const fromKafka = (await readTopic(names.topics.events)).map((m) => parseEvent(JSON.parse(m.value)));
    const pgSide = normalised(fromLog, await labelsOf(pg.tdb.db));
    const kafkaSide = normalised(fromKafka, await labelsOf(kafka.tdb.db));
    expect(pgSide.length).toBeGreaterThan(people.length);
    const types = new Set(pgSide.map((e) => e.type));
    for (const t of ['record.decided', 'golden_record.linked', 'golden_record.merged', 'golden_record.split'])
      expect(types).toContain(t);
    expect(kafkaSide).toEqual(pgSide);
  });
});

/** What each id stands for, the same in both runs. */
async function labelsOf(db: Db): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const r of await db.selectFrom('records').select(['id', 'source', 'external_id']).execute())
    labels.set(r.id, `record ${r.source}/${r.external_id}`);
  const founded = await db
    .selectFrom('audit_log')
    .select(['entity_id', 'record_id'])
    .where('action', 'in', ['golden_record.created', 'golden_record.created_by_split'])
    .execute();
  for (const g of founded) labels.set(g.entity_id, `golden of ${labels.get(g.record_id!)}`);
  for (const c of await db.selectFrom('review_cases').select(['id', 'record_id']).execute())
    labels.set(c.id, `case of ${c.record_id ? labels.get(c.record_id) : 'proposal'}`);
  for (const d of await db.selectFrom('dead_letters').select(['id', 'record_id']).execute())
    labels.set(String(d.id), `dead letter of ${labels.get(d.record_id)}`);
  return labels;
}

/** Per key in sequence order: type, sequence, source, and a decision's status and golden record. */
function normalised(events: EventEnvelope[], labels: Map<string, string>) {
  const label = (id: unknown) => (typeof id === 'string' ? (labels.get(id) ?? `unknown ${id}`) : null);
  return events
    .map((e) => ({
      key: label(e.key)!,
      sequence: e.sequence,
      type: e.type,
      source: e.source,
      schemaVersion: e.schemaVersion,
      ...(e.type === 'record.decided' ? { status: e.data.status, golden: label(e.data.goldenId) } : {}),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.sequence - b.sequence));
}
