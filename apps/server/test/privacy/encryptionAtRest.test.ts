import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countUnderOldKeys, rotateKeys } from '../../src/privacy/keyRotation';
import { searchCustomers } from '../../src/customers/customersService';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';

/**
 * Issue 18 item 5 against a real Postgres and real servers: with NEXUS_ENCRYPTION_KEY set, no
 * national id, phone, email or face image is stored in the clear, the engine decides exactly as
 * without encryption, `nexus keys rotate` re-encrypts while records flow and loses nothing, and
 * a missing or wrong key stops the start with a clear error.
 */

const KEY = 'the-key-encryption-key-of-this-test-run-0001';
const NEW_KEY = 'the-next-key-encryption-key-of-this-run-0002';
const ORDERED = {
  // One partition, one task at a time: the decisions of two runs are comparable record by record.
  NEXUS_PARTITIONS: '1',
  NEXUS_WORKER_CONCURRENCY: '1',
  NEXUS_CONSUMER_GROUP: 'nexus-encryption',
};
const FACE = `data:image/png;base64,${Buffer.from('a face image of the encryption test').toString('base64')}`;
const population = generatePopulation({ people: 90, dupRate: 0.5, seed: 4949, prefix: 'enc' }).map((g, i) =>
  i === 0 ? { ...g.record, face_image: FACE } : g.record,
);

/** external id -> its decision and the external ids of its golden record (after merges). */
async function outcomes(tdb: TestDatabase): Promise<Map<string, string>> {
  const { rows } = await sql<{ external_id: string; status: string; golden: string | null }>`
    select r.external_id, r.status, coalesce(g.merged_into, m.golden_id) as golden
    from records r left join golden_record_members m on m.record_id = r.id
    left join golden_records g on g.id = m.golden_id`.execute(tdb.db);
  const members = new Map<string, string[]>();
  for (const r of rows)
    if (r.golden) members.set(r.golden, [...(members.get(r.golden) ?? []), r.external_id]);
  return new Map(
    rows.map((r) => [
      r.external_id,
      `${r.status}:${r.golden ? (members.get(r.golden) ?? []).sort().join(',') : ''}`,
    ]),
  );
}

async function submitAndWait(server: TestServer, records: unknown[]): Promise<string> {
  const token = await server.tokenFor('admin');
  const res = await fetch(`${server.url}/api/v1/records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'registry', records }),
  });
  const body = (await res.json()) as { batchId: string; rejected: unknown[] };
  expect(res.status).toBe(202);
  expect(body.rejected).toEqual([]);
  return body.batchId;
}

async function waitForBatch(server: TestServer, batchId: string): Promise<Record<string, number>> {
  const token = await server.tokenFor('admin');
  for (let i = 0; i < 600; i++) {
    const res = await fetch(`${server.url}/api/v1/batches/${batchId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { status: string; counts: Record<string, number> };
    if (body.status === 'completed') return body.counts;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`batch ${batchId} was not decided`);
}

/** Every (table.column) whose stored text holds one of the values (read as text: nothing opened). */
async function columnsHolding(tdb: TestDatabase, values: readonly string[]): Promise<string[]> {
  const columns = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(tdb.db);
  const patterns = values.map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  const found: string[] = [];
  for (const { table_name, column_name } of columns.rows) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}
      where ${sql.ref(column_name)}::text ilike any(${patterns}::text[])`.execute(tdb.db);
    if (Number(rows[0]!.n) > 0) found.push(`${table_name}.${column_name}`);
  }
  return found.sort();
}

/** The identifiers of the population in the forms Nexus may keep them: as given and normalised. */
const IDENTIFIERS = population
  .slice(0, 25)
  .flatMap((r) => [r.national_id, r.phone, r.phone?.replace(/\D/g, ''), r.email])
  .filter((v): v is string => typeof v === 'string')
  .concat([FACE.slice(30)]);

describe('encryption at rest', () => {
  const tdbs: TestDatabase[] = [];
  let plain: Map<string, string>;

  beforeAll(async () => {
    // The same population decided without encryption, for comparison.
    const tdb = await createTestDatabase();
    tdbs.push(tdb);
    const server = await startTestServer(tdb, ORDERED);
    try {
      await waitForBatch(server, await submitAndWait(server, population));
      plain = await outcomes(tdb);
      // The search below is not blind: without encryption it finds the values.
      expect(await columnsHolding(tdb, IDENTIFIERS)).toEqual(
        expect.arrayContaining([
          'blocking_keys.key',
          'golden_records.best',
          'records.normalised',
          'records.payload',
        ]),
      );
    } finally {
      await server.close();
    }
  }, 180_000);

  afterAll(async () => {
    for (const tdb of tdbs) await tdb.drop();
  });

  it('refuses to turn encryption on over records written without it (their keys hold values)', async () => {
    const error = await startTestServer(tdbs[0]!, { ...ORDERED, NEXUS_ENCRYPTION_KEY: KEY }).then(
      () => undefined,
      (e: { code?: string }) => e,
    );
    expect(error?.code).toBe('ENCRYPTION.UNENCRYPTED_DATA');
    const keys = await tdbs[0]!.db.selectFrom('encryption_keys').select('id').execute();
    expect(keys).toEqual([]);
  }, 60_000);

  describe('with a key', () => {
    let tdb: TestDatabase;
    let server: TestServer;

    beforeAll(async () => {
      tdb = await createTestDatabase();
      tdbs.push(tdb);
      server = await startTestServer(tdb, { ...ORDERED, NEXUS_ENCRYPTION_KEY: KEY });
      await waitForBatch(server, await submitAndWait(server, population));
    }, 180_000);

    afterAll(async () => {
      await server?.close();
    });

    it('decides exactly as without encryption: same decisions, same golden records', async () => {
      const encrypted = await outcomes(tdb);
      expect(encrypted.size).toBe(population.length);
      expect([...encrypted.entries()].sort()).toEqual([...plain.entries()].sort());
      // Not a trivial population: people were linked, some sent to review or merged.
      expect([...encrypted.values()].filter((v) => v.startsWith('linked')).length).toBeGreaterThan(10);
    });

    it('stores no national id, phone, email or face image in the clear, in any table', async () => {
      expect(await columnsHolding(tdb, IDENTIFIERS)).toEqual([]);
      // Names and dates stay in the clear, by design: fuzzy matching and search need them.
      const first = population[1]!;
      expect(await columnsHolding(tdb, [first.family_name!])).toEqual(
        expect.arrayContaining(['golden_records.best', 'records.payload']),
      );
      const keys = await tdb.db
        .selectFrom('encryption_keys')
        .select(['purpose', 'wrapped', 'active'])
        .execute();
      expect(keys.map((k) => `${k.purpose}:${k.active}`).sort()).toEqual(['data:true', 'index:true']);
    });

    it('reads back plain values through the application, and finds a person by identifier', async () => {
      const someone = population[2]!;
      const row = await tdb.db
        .selectFrom('records')
        .select(['payload', 'normalised'])
        .where('external_id', '=', someone.external_id)
        .executeTakeFirstOrThrow();
      expect(row.payload.national_id).toBe(someone.national_id);
      expect(row.payload.email).toBe(someone.email);
      const found = await searchCustomers(tdb.db, { identifier: someone.national_id!, limit: 5 });
      expect(found.length).toBe(1);
      expect(found[0]!.best.national_id).toBe(someone.national_id);
      const byPhone = await searchCustomers(tdb.db, { identifier: someone.phone!, limit: 5 });
      expect(byPhone.map((g) => g.id)).toEqual(found.map((g) => g.id));
      const face = await tdb.db
        .selectFrom('records')
        .select(sql<string>`payload->>'face_image'`.as('face'))
        .where('external_id', '=', population[0]!.external_id)
        .executeTakeFirstOrThrow();
      expect(face.face).toBe(FACE);
    });

    it('rotates the data key while records flow: every value re-encrypted, nothing lost', async () => {
      const before = await tdb.db
        .selectFrom('encryption_keys')
        .select('id')
        .where('active', '=', true)
        .where('purpose', '=', 'data')
        .executeTakeFirstOrThrow();
      const more = generatePopulation({ people: 60, dupRate: 0.5, seed: 5050, prefix: 'rot' }).map(
        (g) => g.record,
      );
      const batchId = await submitAndWait(server, more);
      const [report, counts] = await Promise.all([
        rotateKeys(tdb.db, [{ secret: KEY, origin: 'test' }], { batchSize: 40, passPauseMs: 11_000 }),
        waitForBatch(server, batchId),
      ]);
      expect(counts.records).toBe(more.length);
      expect(counts.pending).toBe(0);
      expect(counts.dead_lettered).toBe(0);
      expect(report.remaining).toBe(0);
      expect(report.activeKeyId).not.toBe(before.id);
      expect(report.retiredKeyIds).toContain(before.id);
      expect(report.reencrypted.records).toBeGreaterThan(population.length);
      // A last look after the engine finished: nothing anywhere names the retired key.
      expect(await countUnderOldKeys(tdb.db, report.activeKeyId)).toBe(0);
      const { rows } = await sql<{ n: string }>`select count(*) as n from records
        where payload::text like ${`%nxe1:${before.id}:%`} or normalised::text like ${`%nxe1:${before.id}:%`}`.execute(
        tdb.db,
      );
      expect(Number(rows[0]!.n)).toBe(0);
      // Everything still opens, old and new records alike.
      const all = await tdb.db.selectFrom('records').select(['external_id', 'payload']).execute();
      const sent = new Map([...population, ...more].map((r) => [r.external_id, r.national_id]));
      expect(all.length).toBe(sent.size);
      for (const r of all) expect(r.payload.national_id).toBe(sent.get(r.external_id));
      expect(await columnsHolding(tdb, IDENTIFIERS)).toEqual([]);
    }, 180_000);

    it('re-wraps the keys under a new key-encryption key, after which the old one alone cannot start', async () => {
      await server.close();
      const report = await rotateKeys(
        tdb.db,
        [
          { secret: NEW_KEY, origin: 'NEXUS_ENCRYPTION_KEY' },
          { secret: KEY, origin: 'NEXUS_ENCRYPTION_PREVIOUS_KEY' },
        ],
        { passPauseMs: 0 },
      );
      expect(report.rewrappedKeys).toBeGreaterThanOrEqual(3);
      const startError = (env: Record<string, string>) =>
        startTestServer(tdb, env).then(
          () => undefined,
          (error: { code?: string; message?: string }) => error,
        );
      const wrong = await startError({ ...ORDERED, NEXUS_ENCRYPTION_KEY: KEY });
      expect(wrong?.code).toBe('ENCRYPTION.KEY_INVALID');
      expect(wrong?.message).toMatch(/wrapped by key-encryption key \w+, but NEXUS_ENCRYPTION_KEY is/);
      const missing = await startError(ORDERED);
      expect(missing?.code).toBe('ENCRYPTION.KEY_MISSING');
      expect(missing?.message).toMatch(/set NEXUS_ENCRYPTION_KEY/);
      server = await startTestServer(tdb, { ...ORDERED, NEXUS_ENCRYPTION_KEY: NEW_KEY });
      const someone = population[3]!;
      const found = await searchCustomers(tdb.db, { identifier: someone.national_id!, limit: 5 });
      expect(found[0]?.best.national_id).toBe(someone.national_id);
    }, 180_000);
  });
});
