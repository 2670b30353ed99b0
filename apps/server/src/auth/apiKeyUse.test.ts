import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { addUser } from '../users/usersService';
import { LAST_USED_PRECISION_MS, principalForApiKey, revokeApiKey } from './apiKeys';

describe('API keys in use', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  const lastUsed = async (keyId: string) =>
    (
      await tdb.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('id', '=', keyId)
        .executeTakeFirstOrThrow()
    ).last_used_at;

  it('record their last use once a minute, yet a revocation takes effect on the next call', async () => {
    const added = await addUser(tdb.db, { username: 'checkout', role: 'ingest', kind: 'service' }, 'test');
    const key = added.apiKey!;
    const t0 = Date.now();
    const first = await principalForApiKey(tdb.db, key, t0);
    expect(first?.principal.username).toBe('checkout');
    expect(await lastUsed(first!.keyId)).not.toBeNull();

    // Pretend the last write was long ago: a call within the minute still writes nothing...
    const longAgo = new Date('2026-01-01T00:00:00Z');
    await tdb.db
      .updateTable('api_keys')
      .set({ last_used_at: longAgo })
      .where('id', '=', first!.keyId)
      .execute();
    expect(await principalForApiKey(tdb.db, key, t0 + LAST_USED_PRECISION_MS - 1)).toBeDefined();
    expect(await lastUsed(first!.keyId)).toEqual(longAgo);
    // ...and the first call after it records the use again.
    expect(await principalForApiKey(tdb.db, key, t0 + LAST_USED_PRECISION_MS)).toBeDefined();
    expect((await lastUsed(first!.keyId))!.getTime()).toBeGreaterThan(longAgo.getTime());

    // The key itself is read on every call: revoked, refused at once, within the minute.
    expect(await revokeApiKey(tdb.db, added.user.id, first!.keyId)).toBe(true);
    expect(await principalForApiKey(tdb.db, key, t0 + LAST_USED_PRECISION_MS + 1)).toBeUndefined();
  });
});
