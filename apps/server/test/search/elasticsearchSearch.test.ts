import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ElasticsearchCandidateSearch, indexLagSeconds, type SearchClient } from '@nexus/actors';
import { blockingKeys, normaliseRecord } from '@nexus/matching';
import { parseCanonicalRecord, partitionFor, partitionKey, type RawRecordMessage } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { pendingCount, startTestEngine, TEST_ENGINE_CONFIG, waitUntil } from '../../../../test/engineHarness';
import {
  activeGoldenRecords,
  deleteIndices,
  elasticsearchUrl,
  freshIndexName,
  indexedGoldenRecords,
  testSearchClient,
} from '../../../../test/searchHarness';
import { startEngine, type Engine, type EngineConfig } from '../../src/engine/engine';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { checkHealth } from '../../src/http/healthRoute';
import { submitBatch } from '../../src/ingest/submitBatch';

const NEXUS = path.resolve(import.meta.dirname, '../../bin/nexus.mjs');

function startSearchEngine(
  tdb: TestDatabase,
  index: string,
  config: Partial<EngineConfig> = {},
): Promise<Engine> {
  return startEngine(
    { ...TEST_ENGINE_CONFIG, ELASTICSEARCH_URL: elasticsearchUrl(), NEXUS_SEARCH_INDEX: index, ...config },
    tdb.db,
    tdb.url,
    { policy: { baseBackoffMs: 10, maxBackoffMs: 100 } },
  );
}

async function decideBatch(
  tdb: TestDatabase,
  engine: Engine,
  source: string,
  records: unknown[],
): Promise<void> {
  await submitBatch(tdb.db, engine.bus.partitions, { source, records });
  engine.relay.kick();
  await waitUntil(`the ${source} batch is decided`, async () => (await pendingCount(tdb.db)) === 0);
}

describe('candidate search in Elasticsearch', () => {
  let tdb: TestDatabase;
  let client: SearchClient;
  let engine: Engine | undefined;
  const index = freshIndexName();
  const population = generatePopulation({ people: 250, dupRate: 0.3, seed: 51, prefix: 'es' });

  beforeAll(async () => {
    tdb = await createTestDatabase();
    client = testSearchClient();
    engine = await startSearchEngine(tdb, index);
    await decideBatch(
      tdb,
      engine,
      'search',
      population.map((p) => p.record),
    );
  });

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
    await deleteIndices(client, index);
    await client.close();
  });

  it('decides through the index and keeps it in step with Postgres', async () => {
    await waitUntil('the index is in sync', async () => {
      const [pg, es] = await Promise.all([activeGoldenRecords(tdb.db), indexedGoldenRecords(client, index)]);
      return pg.size > 0 && JSON.stringify([...pg].sort()) === JSON.stringify([...es].sort());
    });
    const linked = await tdb.db.selectFrom('records').select('id').where('status', '=', 'linked').execute();
    expect(linked.length).toBeGreaterThan(population.length * 0.1);
    const health = await checkHealth(tdb.db, engine!);
    expect(health.parts.elasticsearch?.ok).toBe(true);
    expect(await indexLagSeconds(tdb.db, index)).toBeLessThan(30);
  });

  it(
    'still finds golden records the index has not seen, and `nexus reindex` brings it back in step',
    { timeout: 150_000 },
    async () => {
      // A crash between commit and indexing: decisions committed, the index never told.
      await engine!.stop();
      engine = await startTestEngine(tdb); // Postgres candidates, no indexer
      const later = generatePopulation({ people: 40, dupRate: 0, seed: 52, prefix: 'es-late' });
      await decideBatch(
        tdb,
        engine,
        'late',
        later.map((p) => p.record),
      );
      await engine.stop();
      engine = undefined;
      const [pg, es] = await Promise.all([activeGoldenRecords(tdb.db), indexedGoldenRecords(client, index)]);
      expect(pg.size).toBeGreaterThan(es.size);

      // Invariant 3 meanwhile: a twin of an unindexed record still meets its golden record,
      // read from Postgres because it changed after the index's sync point.
      const search = new ElasticsearchCandidateSearch(client, index);
      const twin = parseCanonicalRecord({ ...later[0]!.record, external_id: 'twin' }, { source: 'late' });
      if (!twin.ok) throw new Error('the twin is valid');
      const normalised = normaliseRecord(twin.record);
      const found = await search.find(tdb.db, normalised, blockingKeys(normalised));
      const { golden_id: goldenOfOriginal } = await tdb.db
        .selectFrom('records as r')
        .innerJoin('golden_record_members as m', 'm.record_id', 'r.id')
        .select('m.golden_id')
        .where('r.source', '=', 'late')
        .where('r.external_id', '=', later[0]!.record.external_id)
        .executeTakeFirstOrThrow();
      expect(es.has(goldenOfOriginal)).toBe(false);
      expect(found.map((c) => c.goldenId)).toContain(goldenOfOriginal);

      const { stdout } = await promisify(execFile)(process.execPath, [
        NEXUS,
        'reindex',
        '--database-url',
        tdb.url,
        '--elasticsearch-url',
        elasticsearchUrl(),
        '--index',
        index,
      ]);
      const summary = JSON.parse(stdout.trim().split('\n').at(-1)!) as { documents: number };
      expect(summary.documents).toBe(pg.size);
      expect(await indexedGoldenRecords(client, index)).toEqual(await activeGoldenRecords(tdb.db));
    },
  );

  it(
    'keeps one golden record per person when twins are decided at the same moment (invariant 3)',
    { timeout: 120_000 },
    async () => {
      engine = await startSearchEngine(tdb, index, {
        NEXUS_PARTITIONS: 8,
        NEXUS_WORKER_CONCURRENCY: 4,
        NEXUS_BATCH_SIZE: 1,
      });
      const receivedAt = new Date().toISOString();
      const pairs = generatePopulation({ people: 60, dupRate: 0, seed: 53, prefix: 'es-twin' }).map(
        ({ record }) => {
          const a = { ...record, external_id: `${record.external_id}-a` };
          let b = { ...record, external_id: `${record.external_id}-b` };
          for (
            let i = 0;
            partitionFor(partitionKey('twins', b.external_id), 8) ===
            partitionFor(partitionKey('twins', a.external_id), 8);
            i++
          ) {
            b = { ...b, external_id: `${record.external_id}-b${i}` };
          }
          const msg = (r: typeof a): RawRecordMessage => ({
            recordId: randomUUID(),
            batchId: null,
            source: 'twins',
            record: r,
            receivedAt,
          });
          return [msg(a), msg(b)] as const;
        },
      );
      await engine.bus.publish(
        pairs.flat().map((m) => ({ key: partitionKey('twins', m.record.external_id), value: m })),
      );
      await waitUntil('every twin is decided', async () => {
        const rows = await tdb.db.selectFrom('records').select('id').where('source', '=', 'twins').execute();
        return rows.length === pairs.length * 2 && (await pendingCount(tdb.db)) === 0;
      });
      const rows = await tdb.db
        .selectFrom('records as r')
        .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
        .select(['r.id', 'r.status', 'm.golden_id'])
        .where('r.source', '=', 'twins')
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const [a, b] of pairs) {
        const ra = byId.get(a.recordId)!;
        const rb = byId.get(b.recordId)!;
        const inOne = ra.golden_id !== null && ra.golden_id === rb.golden_id;
        expect(
          inOne || ra.status === 'review' || rb.status === 'review',
          `${a.record.external_id}: ${ra.status}/${rb.status}`,
        ).toBe(true);
      }
      await engine.stop();
      engine = undefined;
    },
  );

  it('falls back to Postgres when Elasticsearch is down, and /health says so', async () => {
    engine = await startSearchEngine(tdb, index, {
      ELASTICSEARCH_URL: 'http://127.0.0.1:9',
      NEXUS_PARTITIONS: 8,
    });
    const more = generatePopulation({ people: 40, dupRate: 0.5, seed: 54, prefix: 'es-down' });
    await decideBatch(
      tdb,
      engine,
      'down',
      more.map((p) => p.record),
    );
    const statuses = await tdb.db
      .selectFrom('records')
      .select('status')
      .where('source', '=', 'down')
      .execute();
    expect(statuses.length).toBe(more.length);
    expect(statuses.filter((s) => s.status === 'linked').length).toBeGreaterThan(0);
    const health = await checkHealth(tdb.db, engine);
    expect(health.parts.elasticsearch?.ok).toBe(false);
    expect(health.parts.elasticsearch?.detail).toMatch(/falls back to Postgres/);
  });
});
