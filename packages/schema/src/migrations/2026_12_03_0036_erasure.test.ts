import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import * as erasure from './2026_12_03_0036_erasure';

describe('migration 0036: the audit log keeps field names, not values', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('rewrites the best values of entries written before it, and the log stays append-only', async () => {
    const db = tdb.db;
    await erasure.down(db);
    const entry = (action: string, before: object | null, after: object | null) =>
      sql`insert into audit_log (actor, action, entity_type, entity_id, before, after)
        values ('engine', ${action}, 'golden_record', 'g-1',
          ${before === null ? null : JSON.stringify(before)}::jsonb, ${after === null ? null : JSON.stringify(after)}::jsonb)`.execute(
        db,
      );
    await entry('golden_record.created', null, {
      best: { given_name: 'Ada', city: 'London' },
      members: ['r-1'],
    });
    await entry(
      'golden_record.linked',
      { best: { given_name: 'Ada', city: 'London' }, member_count: 1 },
      {
        best: { given_name: 'Ada', city: 'Leeds', email: 'ada@example.org' },
        member_count: 2,
        linked: 'r-2',
      },
    );
    await entry('user.created', null, { username: 'rita', role: 'reviewer' });

    await erasure.up(db);

    const rows = await db
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .orderBy('id')
      .execute();
    expect(JSON.stringify(rows)).not.toMatch(/Ada|London|Leeds|ada@example/);
    expect(rows[0]!.after).toEqual({
      fields: ['city', 'given_name'],
      changedFields: ['city', 'given_name'],
      members: ['r-1'],
    });
    expect(rows[1]!.before).toEqual({ fields: ['city', 'given_name'], member_count: 1 });
    expect(rows[1]!.after).toEqual({
      fields: ['city', 'email', 'given_name'],
      changedFields: ['city', 'email'],
      member_count: 2,
      linked: 'r-2',
    });
    expect(rows[2]!.after).toEqual({ username: 'rita', role: 'reviewer' });
    await expect(sql`update audit_log set actor = 'x'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only/);
  });
});
