import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { RawRecordMessage } from '@nexus/schema';
import {
  decideRecordBatch,
  decideRecordMessage,
  ElasticsearchCandidateSearch,
  ensureSearchIndex,
  loadActiveModel,
  syncSearchIndex,
  type Db,
  type PipelineContext,
  type SearchClient,
} from '@nexus/actors';
import { type NormalisedRecord } from '@nexus/matching';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { deleteIndices, freshIndexName, testSearchClient } from '../../../../test/searchHarness';
import { generatePopulation } from '../../src/generate/syntheticPeople';

/** Counts the requests each path sends, and can make one record's query fail on the node. */
class WatchedSearch extends ElasticsearchCandidateSearch {
  searches = 0;
  batches = 0;
  constructor(
    client: SearchClient,
    index: string,
    private readonly failing?: string,
  ) {
    super(client, index);
  }
  override search(record: NormalisedRecord) {
    this.searches++;
    return super.search(record);
  }
  override prefetchBatch(db: Db, records: readonly NormalisedRecord[]) {
    this.batches++;
    return super.prefetchBatch(db, records);
  }
  protected override queryOf(record: NormalisedRecord) {
    // An invalid regular expression fails on the shard: that one query answers an error.
    if (record.family === this.failing) return { regexp: { status: { value: '[' } } };
    return super.queryOf(record);
  }
}

/**
 * The micro-batch path with Elasticsearch candidates (one `_msearch` per batch, ADR 0056)
 * against the one-record path (a sync-point read and a query per record), on the same records
 * in the same order, each database with its own index synced at the same point. The stored
 * golden records are all before the sync point, so a record of a stored person can only meet
 * its golden record through the index's answer.
 */
describe('Elasticsearch candidates for a micro-batch in one _msearch', () => {
  let one: TestDatabase;
  let batched: TestDatabase;
  let client: SearchClient;
  const indices = { one: freshIndexName(), batched: freshIndexName() };
  const population = generatePopulation({ people: 60, dupRate: 1, seed: 56, prefix: 'msearch' });
  const byPerson = new Map<string, typeof population>();
  for (const p of population) byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p]);
  const people = [...byPerson.values()];
  const message = (record: (typeof population)[number]['record']): RawRecordMessage => ({
    recordId: randomUUID(),
    batchId: null,
    source: 'registry',
    record,
    receivedAt: new Date().toISOString(),
  });
  // The first record of 40 people, decided and indexed before the batch.
  const stored = people.slice(0, 40).map((records) => message(records[0]!.record));
  // Their other records, then 20 new people with every record side by side and a copy of some.
  const later = [
    ...people.slice(0, 40).flatMap((records) => records.slice(1).map((r) => message(r.record))),
    ...people
      .slice(40)
      .flatMap((records, i) => [
        ...records.map((r) => message(r.record)),
        ...(i % 2 === 0
          ? [message({ ...records[0]!.record, external_id: `${records[0]!.record.external_id}-again` })]
          : []),
      ]),
  ];
  let oneSearch: WatchedSearch;
  let batchSearch: WatchedSearch;

  beforeAll(async () => {
    client = testSearchClient();
    [one, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    for (const [tdb, index] of [
      [one, indices.one],
      [batched, indices.batched],
    ] as const) {
      const plain = await context(tdb.db);
      for (const m of stored) await decideRecordMessage(plain, 0, m);
      await ensureSearchIndex(tdb.db, client, index);
    }
    // The sync point stops a second short of the oldest open transaction: wait, so it passes them.
    await sleep(1100);
    for (const [tdb, index] of [
      [one, indices.one],
      [batched, indices.batched],
    ] as const) {
      expect(await syncSearchIndex(tdb.db, client, index)).toBeGreaterThan(30);
    }
    oneSearch = new WatchedSearch(client, indices.one);
    const single = { ...(await context(one.db)), candidates: oneSearch };
    for (const m of later) await decideRecordMessage(single, 0, m);
    batchSearch = new WatchedSearch(client, indices.batched);
    const decided = await decideRecordBatch(
      { ...(await context(batched.db)), candidates: batchSearch },
      0,
      later,
    );
    expect(decided.map((d) => d.recordId)).toEqual(later.map((m) => m.recordId));
  });

  afterAll(async () => {
    await one?.drop();
    await batched?.drop();
    await deleteIndices(client, indices.one);
    await deleteIndices(client, indices.batched);
    await client.close();
  });

  it('asks the index once for the batch, where the one-record path asks once per record', () => {
    expect(oneSearch.searches).toBe(later.length);
    expect(batchSearch.batches).toBe(1);
    expect(batchSearch.searches).toBe(0);
    expect(oneSearch.fallbacks + batchSearch.fallbacks).toBe(0);
  });

  it('finds stored people only through the index, and as many as the one-record path', async () => {
    const storedIds = stored.map((m) => m.recordId);
    const linkedToStored = (db: Db) =>
      sql<{ n: string }>`
        select count(*) as n from golden_record_members m
        where m.record_id <> all(${storedIds}::uuid[])
          and m.golden_id in (select golden_id from golden_record_members where record_id = any(${storedIds}::uuid[]))`
        .execute(db)
        .then((r) => Number(r.rows[0]!.n));
    const found = await linkedToStored(batched.db);
    expect(found).toBeGreaterThan(20);
    expect(found).toBe(await linkedToStored(one.db));
  });

  it('decides every record on the same candidates: statuses, golden records and explanations', async () => {
    expect(await statuses(batched.db)).toEqual(await statuses(one.db));
    expect(await clusters(batched.db)).toEqual(await clusters(one.db));
    // Each explanation names its top candidates and their scores: the same after naming each
    // golden record by its first member (golden ids differ between the databases).
    expect(await explanations(batched.db)).toEqual(await explanations(one.db));
  });

  it('never decides a record whose query failed as if the index had found nothing', async () => {
    // Everything indexed and before the sync point: a stored person is found through the index only.
    await sleep(1100);
    await syncSearchIndex(batched.db, client, indices.batched);
    const person = people[0]!;
    const normalisedFamily = await batched.db
      .selectFrom('records')
      .select(sql<string>`normalised->>'family'`.as('family'))
      .where('external_id', '=', person[0]!.record.external_id)
      .executeTakeFirstOrThrow();
    const broken = new WatchedSearch(client, indices.batched, normalisedFamily.family);
    const copy = message({ ...person[0]!.record, external_id: `${person[0]!.record.external_id}-third` });
    const other = message({ ...people[45]![0]!.record, external_id: 'someone-else-again' });
    const [decided] = await decideRecordBatch({ ...(await context(batched.db)), candidates: broken }, 0, [
      copy,
      other,
    ]);
    // Decided from Postgres instead: its blocking keys lead to the stored person. (Taking the
    // failed query as "no hits" would read only golden records changed since the sync point.)
    const golden = await batched.db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .where('record_id', '=', stored[0]!.recordId)
      .executeTakeFirstOrThrow();
    expect(decided?.status).toBe('linked');
    expect(decided?.goldenId).toBe(golden.golden_id);
    expect(broken.batches).toBe(1);
    expect(broken.fallbacks).toBe(2);
  });

  async function context(db: Db): Promise<PipelineContext> {
    return { db, model: await loadActiveModel(db) };
  }

  async function statuses(db: Db): Promise<Map<string, string>> {
    const rows = await db.selectFrom('records').select(['id', 'status']).execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Each golden record as its member ids (sorted), best values and version. */
  async function clusters(db: Db) {
    const { rows } = await sql<{ members: string[]; best: unknown; version: number }>`
      select array_agg(m.record_id::text order by m.record_id) as members, g.best, g.version
      from golden_records g join golden_record_members m on m.golden_id = g.id
      group by g.id order by 1`.execute(db);
    return rows;
  }

  /** record id -> its explanation, every golden id in it replaced by that golden record's oldest member. */
  async function explanations(db: Db): Promise<Map<string, string>> {
    const { rows: firsts } = await sql<{ golden_id: string; record_id: string }>`
      select distinct on (golden_id) golden_id, record_id from golden_record_members
      order by golden_id, linked_at`.execute(db);
    const first = new Map(firsts.map((f) => [f.golden_id, f.record_id]));
    const { rows } = await sql<{ id: string; explanation: unknown }>`
      select id, explanation from records where explanation is not null`.execute(db);
    return new Map(
      rows.map((r) => [
        r.id,
        JSON.stringify(r.explanation).replace(
          /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
          (id) => `first-member:${first.get(id) ?? id}`,
        ),
      ]),
    );
  }
});
