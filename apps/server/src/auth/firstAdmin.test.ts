import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { ensureFirstAdmin } from './firstAdmin';
import { verifyPassword } from './passwords';

describe('first start on an empty database', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('creates admin once, with a generated password when none is configured, even when starts race', async () => {
    const results = await Promise.all([
      ensureFirstAdmin(tdb.db, undefined),
      ensureFirstAdmin(tdb.db, undefined),
    ]);
    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    const password = (created[0] as { generatedPassword?: string }).generatedPassword!;
    const admin = await tdb.db.selectFrom('users').selectAll().executeTakeFirstOrThrow();
    expect(admin).toMatchObject({ username: 'admin', role: 'admin', kind: 'person', disabled_at: null });
    expect(await verifyPassword(password, admin.password_hash!)).toBe(true);
    expect(await ensureFirstAdmin(tdb.db, 'another-password')).toEqual({ created: false });
  });
});
