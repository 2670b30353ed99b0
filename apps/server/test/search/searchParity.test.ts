import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ElasticsearchCandidateSearch,
  postgresCandidateSearch,
  reindexSearch,
  type CandidateSearch,
  type SearchClient,
} from '@nexus/actors';
import { blockingKeys, normaliseRecord, type NormalisedRecord } from '@nexus/matching';
import { loadDataSets } from '@nexus/matching/evaluation';
import { sharedDataDir } from '../../../../test/sharedData';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { deleteIndices, freshIndexName, testSearchClient } from '../../../../test/searchHarness';

interface Loaded {
  recordId: string;
  goldenId: string;
  entity: string;
  normalised: NormalisedRecord;
  keys: string[];
}

/** Every FEBRL 3 record as a golden record of its own, written straight to Postgres. */
async function loadRegister(tdb: TestDatabase): Promise<Loaded[]> {
  const set = loadDataSets(sharedDataDir()).find((s) => s.name === 'FEBRL 3 without soc_sec_id');
  if (!set) throw new Error('FEBRL 3 not found in the shared data');
  const loaded = set.records.map(({ record, entity }): Loaded => {
    const normalised = normaliseRecord(record);
    return {
      recordId: randomUUID(),
      goldenId: randomUUID(),
      entity,
      normalised,
      keys: blockingKeys(normalised),
    };
  });
  for (let i = 0; i < loaded.length; i += 1000) {
    const chunk = loaded.slice(i, i + 1000);
    const records = set.records.slice(i, i + 1000);
    await tdb.db
      .insertInto('records')
      .values(
        chunk.map((l, j) => ({
          id: l.recordId,
          source: 'febrl3',
          external_id: records[j]!.record.external_id,
          partition: 0,
          payload: JSON.stringify(records[j]!.record) as never,
          normalised: JSON.stringify(l.normalised) as never,
          status: 'new' as const,
        })),
      )
      .execute();
    await tdb.db
      .insertInto('golden_records')
      .values(
        chunk.map((l) => ({
          id: l.goldenId,
          status: 'active' as const,
          best: '{}' as never,
          member_count: 1,
          version: 1,
        })),
      )
      .execute();
    await tdb.db
      .insertInto('golden_record_members')
      .values(
        chunk.map((l) => ({ record_id: l.recordId, golden_id: l.goldenId, precedence: 'primary' as const })),
      )
      .execute();
    await tdb.db
      .insertInto('blocking_keys')
      .values(chunk.flatMap((l) => l.keys.map((key) => ({ key, record_id: l.recordId }))))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  await sql`analyze`.execute(tdb.db);
  return loaded;
}

/** Share of true pairs (query record, other record of its person) whose golden record is a candidate. */
async function blockingRecall(
  tdb: TestDatabase,
  search: CandidateSearch,
  queries: Loaded[],
  byEntity: Map<string, Loaded[]>,
) {
  let pairs = 0;
  let found = 0;
  const concurrency = 6;
  for (let i = 0; i < queries.length; i += concurrency) {
    await Promise.all(
      queries.slice(i, i + concurrency).map(async (q) => {
        const candidates = new Set((await search.find(tdb.db, q.normalised, q.keys)).map((c) => c.goldenId));
        for (const other of byEntity.get(q.entity) ?? []) {
          if (other === q) continue;
          pairs++;
          if (candidates.has(other.goldenId)) found++;
        }
      }),
    );
  }
  return found / pairs;
}

/** Elasticsearch must find the true matches about as often as the Postgres blocking keys do. */
describe('candidate search parity on FEBRL 3', () => {
  let tdb: TestDatabase;
  let client: SearchClient;
  const index = freshIndexName();
  let loaded: Loaded[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    client = testSearchClient();
    loaded = await loadRegister(tdb);
    const { documents } = await reindexSearch(tdb.db, client, index);
    expect(documents).toBe(loaded.length);
  });

  afterAll(async () => {
    await tdb?.drop();
    await deleteIndices(client, index);
    await client.close();
  });

  it('reaches the blocking recall of Postgres within 1%', { timeout: 180_000 }, async () => {
    const byEntity = new Map<string, Loaded[]>();
    for (const l of loaded) byEntity.set(l.entity, [...(byEntity.get(l.entity) ?? []), l]);
    const queries = loaded
      .filter((l) => (byEntity.get(l.entity)?.length ?? 0) > 1)
      .filter((_, i) => i % 5 === 0);
    const es = new ElasticsearchCandidateSearch(client, index);
    let started = performance.now();
    const postgres = await blockingRecall(tdb, postgresCandidateSearch, queries, byEntity);
    const pgSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const elasticsearch = await blockingRecall(tdb, es, queries, byEntity);
    const esSeconds = (performance.now() - started) / 1000;
    console.log(
      `FEBRL 3 blocking recall over ${queries.length} records: Postgres ${postgres.toFixed(4)} (${pgSeconds.toFixed(1)} s), ` +
        `Elasticsearch ${elasticsearch.toFixed(4)} (${esSeconds.toFixed(1)} s)`,
    );
    expect(es.fallbacks).toBe(0);
    expect(postgres).toBeGreaterThan(0.9);
    expect(elasticsearch).toBeGreaterThanOrEqual(postgres - 0.01);
  });
});
