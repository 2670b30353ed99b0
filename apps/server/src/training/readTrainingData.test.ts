import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { readTrainingData } from './readTrainingData';

describe('readTrainingData', () => {
  let tdb: TestDatabase;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const records = Array.from({ length: 300 }, (_, i) => ({
      id: randomUUID(),
      source: 's',
      external_id: `r${i}`,
      partition: 0,
      payload: JSON.stringify({ external_id: `r${i}` }) as never,
      normalised: JSON.stringify({ given: `g${i}`, family: `f${i % 40}` }) as never,
      status: 'new' as const,
    }));
    await tdb.db.insertInto('records').values(records).execute();
    // Every record shares a key with the others of its family: 300 records, 40 keys, ~1,000 pairs.
    await tdb.db
      .insertInto('blocking_keys')
      .values(records.map((r, i) => ({ key: `f:${i % 40}`, record_id: r.id })))
      .execute();
  });

  afterAll(async () => {
    await tdb?.drop();
  });

  const read = () => readTrainingData(tdb.db, { sample: 50, maxPairs: 100, maxKeyRecords: 200, seed: 3 });
  const names = (data: Awaited<ReturnType<typeof read>>) => ({
    sample: data.sample.map((n) => n.given),
    pairs: data.blockedPairs.map(([a, b]) => [a.given, b.given].sort().join('-')).sort(),
  });

  it('draws the same sample and pairs from the same register wherever its rows lie on disk', async () => {
    const first = names(await read());
    expect(first.sample).toHaveLength(50);
    expect(first.pairs).toHaveLength(100);
    // Updating rows moves them to the end of the table: a scan now meets them in another order.
    await sql`update records set decided_at = now() where external_id like '%1' or external_id like '%5'`.execute(
      tdb.db,
    );
    await sql`update blocking_keys set key = key where key like '%3'`.execute(tdb.db);
    expect(names(await read())).toEqual(first);
  });

  it('draws another sample with another seed', async () => {
    const other = await readTrainingData(tdb.db, { sample: 50, maxPairs: 100, maxKeyRecords: 200, seed: 4 });
    expect(names(other).sample).not.toEqual(names(await read()).sample);
  });
});
