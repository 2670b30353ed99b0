import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import * as ownership from './2026_12_02_0025_ownership';

describe('migration 0025: owners of batches and sources', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('gives batches from before it the account their username names, and each source to its first ingest account', async () => {
    const db = tdb.db;
    await ownership.down(db);
    const [loader, later, operator] = [randomUUID(), randomUUID(), randomUUID()];
    await sql`
      insert into users (id, username, kind, role) values
        (${loader}, 'Loader', 'service', 'ingest'),
        (${later}, 'later', 'service', 'ingest'),
        (${operator}, 'ops', 'person', 'operator')`.execute(db);
    const batch = (source: string, by: string | null, at: string) => ({ id: randomUUID(), source, by, at });
    const batches = [
      batch('crm', 'loader', '2026-01-01T00:00:00Z'),
      batch('crm', 'later', '2026-01-02T00:00:00Z'),
      batch('erp', 'ops', '2026-01-01T00:00:00Z'),
      batch('erp', 'later', '2026-01-03T00:00:00Z'),
      batch('old', null, '2026-01-01T00:00:00Z'),
    ];
    for (const b of batches) {
      await sql`insert into batches (id, source, status, submitted_by, record_count, created_at)
        values (${b.id}, ${b.source}, 'completed', ${b.by}, 0, ${b.at})`.execute(db);
    }

    await ownership.up(db);

    const owners = await db.selectFrom('batches').select(['id', 'submitted_by_id']).execute();
    const ownerOf = new Map(owners.map((o) => [o.id, o.submitted_by_id]));
    expect(batches.map((b) => ownerOf.get(b.id))).toEqual([loader, later, operator, later, null]);
    const sources = await db
      .selectFrom('source_owners')
      .select(['source', 'user_id'])
      .orderBy('source')
      .execute();
    // An operator's batches claim nothing: erp goes to the first ingest account that used it.
    expect(sources).toEqual([
      { source: 'crm', user_id: loader },
      { source: 'erp', user_id: later },
    ]);
  });
});
