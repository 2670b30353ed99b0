import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import { normaliseRecord } from '@nexus/matching';
import { GOLDEN_RECORD_INDEX_BODY } from '../../../../packages/actors/src/search/goldenRecordDocument';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { deleteIndices, freshIndexName, testSearchClient } from '../../../../test/searchHarness';
import { generatePopulation } from '../../src/generate/syntheticPeople';

/**
 * An answer of Elasticsearch some of whose shards failed is no answer (ADR 0056): neither the
 * one-record `search` nor a micro-batch's `_msearch` may read it as "no candidates". The shard
 * failure is real, on the real node: after the stored people are indexed, the alias is pointed
 * at two indices, an empty one with the usual mapping (its shard answers) and a copy of the
 * documents whose `status` is mapped as a number (the query's `status: active` filter fails on
 * that shard with a number_format_exception). The node then answers 200 with
 * `_shards.failed: 1` and no hits: the stored people are only in the shard that failed.
 */
describe('Elasticsearch answers with failed shards', () => {
  let tdb: TestDatabase;
  let client: SearchClient;
  const alias = freshIndexName();
  const population = generatePopulation({ people: 12, dupRate: 1, seed: 13, prefix: 'shards' });
  const byPerson = new Map<string, typeof population>();
  for (const p of population) byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p]);
  const people = [...byPerson.values()].filter((records) => records.length >= 2);
  const message = (record: (typeof population)[number]['record']): RawRecordMessage => ({
    recordId: randomUUID(),
    batchId: null,
    source: 'registry',
    record,
    receivedAt: new Date().toISOString(),
  });
  const stored = people.map((records) => message(records[0]!.record));

  beforeAll(async () => {
    client = testSearchClient();
    tdb = await createTestDatabase();
    const plain = await context(tdb.db);
    for (const m of stored) await decideRecordMessage(plain, 0, m);
    await ensureSearchIndex(tdb.db, client, alias);
    // The sync point stops a second short of the oldest open transaction: wait, so it passes them.
    await sleep(1100);
    expect(await syncSearchIndex(tdb.db, client, alias)).toBe(stored.length);
    const [original] = Object.keys(await client.indices.getAlias({ name: alias }));
    const answering = `${alias}-answering`;
    const failing = `${alias}-failing`;
    await client.indices.create({ index: answering, ...GOLDEN_RECORD_INDEX_BODY });
    await client.indices.create({
      index: failing,
      settings: GOLDEN_RECORD_INDEX_BODY.settings,
      mappings: {
        ...GOLDEN_RECORD_INDEX_BODY.mappings,
        properties: {
          ...GOLDEN_RECORD_INDEX_BODY.mappings.properties,
          status: { type: 'long', ignore_malformed: true },
        },
      },
    });
    // The node has no reindex module: the documents are copied by hand.
    const docs = await client.search({ index: original!, size: 1000, query: { match_all: {} } });
    await client.bulk({
      refresh: true,
      operations: docs.hits.hits.flatMap((h) => [{ index: { _index: failing, _id: h._id } }, h._source]),
    });
    await client.indices.updateAliases({
      actions: [
        { remove: { index: original!, alias } },
        { add: { index: answering, alias } },
        { add: { index: failing, alias } },
      ],
    });
    // The premise: a 200 answer with a failed shard and no hits, where the stored people are.
    const probe = await client.search({ index: alias, query: { term: { status: 'active' } } });
    expect(probe._shards.failed).toBe(1);
    expect(probe._shards.successful).toBe(1);
    expect(probe.hits.hits).toEqual([]);
    expect((await client.count({ index: failing })).count).toBe(stored.length);
  });

  afterAll(async () => {
    await tdb?.drop();
    await deleteIndices(client, alias);
    await client.close();
  });

  it('the one-record search reads a partial answer as no answer and decides from Postgres', async () => {
    const person = people[0]!;
    const ctx = { ...(await context(tdb.db)), candidates: new ElasticsearchCandidateSearch(client, alias) };
    const decided = await decideRecordMessage(ctx, 0, message(person[1]!.record));
    // Taking the partial answer as "no hits" reads only golden records changed since the sync
    // point (none): a false new person.
    expect(decided.status).toBe('linked');
    expect(decided.goldenId).toBe(await goldenOf(tdb.db, stored[0]!.recordId));
    expect(ctx.candidates.fallbacks).toBe(1);
    const search = new ElasticsearchCandidateSearch(client, alias);
    expect(await search.search(normaliseRecord(person[1]!.record))).toBeUndefined();
  });

  it('a micro-batch reads it the same way (one rule for both paths)', async () => {
    const ctx = { ...(await context(tdb.db)), candidates: new ElasticsearchCandidateSearch(client, alias) };
    const later = [people[1]!, people[2]!].map((records) => message(records[1]!.record));
    const decided = await decideRecordBatch(ctx, 0, later);
    expect(decided.map((d) => d.status)).toEqual(['linked', 'linked']);
    expect(decided.map((d) => d.goldenId)).toEqual([
      await goldenOf(tdb.db, stored[1]!.recordId),
      await goldenOf(tdb.db, stored[2]!.recordId),
    ]);
    expect(ctx.candidates.fallbacks).toBe(2);
  });

  async function context(db: Db): Promise<PipelineContext> {
    return { db, model: await loadActiveModel(db) };
  }

  async function goldenOf(db: Db, recordId: string): Promise<string> {
    const row = await db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .where('record_id', '=', recordId)
      .executeTakeFirstOrThrow();
    return row.golden_id;
  }
});
