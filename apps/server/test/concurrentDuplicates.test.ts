import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partitionFor, partitionKey, type RawRecordMessage } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { pendingCount, startTestEngine, waitUntil } from '../../../test/engineHarness';
import type { Engine } from '../src/engine/engine';
import { generatePopulation } from '../src/generate/syntheticPeople';

/**
 * Invariant 3: the same person submitted twice at the same moment, in two partitions decided by
 * different worker threads, ends in one golden record (or a review case), never two.
 */
describe('concurrent duplicates', () => {
  let tdb: TestDatabase;
  let engine: Engine;
  const partitions = 8;
  const people = generatePopulation({ people: 120, dupRate: 0, seed: 21, prefix: 'c' });
  const pairs: Array<[RawRecordMessage, RawRecordMessage]> = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    engine = await startTestEngine(tdb, {
      NEXUS_PARTITIONS: partitions,
      NEXUS_WORKERS: 2,
      NEXUS_WORKER_CONCURRENCY: 4,
      NEXUS_BATCH_SIZE: 1,
    });
    const receivedAt = new Date().toISOString();
    for (const { record } of people) {
      const a = { ...record, external_id: `${record.external_id}-a` };
      let b = { ...record, external_id: `${record.external_id}-b` };
      // Put the twin in another partition than the original.
      for (
        let i = 0;
        partitionFor(partitionKey('twins', b.external_id), partitions) ===
        partitionFor(partitionKey('twins', a.external_id), partitions);
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
      pairs.push([msg(a), msg(b)]);
    }
    // Path B, all at once: the twins reach different partitions' actors in the same instant.
    await engine.bus.publish(
      pairs.flat().map((m) => ({ key: partitionKey('twins', m.record.external_id), value: m })),
    );
    await waitUntil('every twin is decided', async () => {
      const n = await tdb.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) === pairs.length * 2 && (await pendingCount(tdb.db)) === 0;
    });
  });

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
  });

  it('never makes two golden records for one person', async () => {
    const rows = await tdb.db
      .selectFrom('records as r')
      .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select(['r.id', 'r.status', 'm.golden_id'])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    let together = 0;
    for (const [a, b] of pairs) {
      const ra = byId.get(a.recordId)!;
      const rb = byId.get(b.recordId)!;
      const inOne = ra.golden_id !== null && ra.golden_id === rb.golden_id;
      const reviewed = ra.status === 'review' || rb.status === 'review';
      expect(inOne || reviewed, `twins ${a.record.external_id}: ${ra.status}/${rb.status}`).toBe(true);
      if (inOne) together++;
    }
    expect(together).toBeGreaterThan(pairs.length * 0.9);
  });
});
