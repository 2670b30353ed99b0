import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { isSealed } from './sealedSecret';
import { resolveServerSecretKey, SECRET_KEY_FILE, ServerSecretKeyError } from './serverSecretKey';
import { resolveSigningKey } from './signingKey';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-secret-key-'));
const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('the server secret key', () => {
  it('is generated once into the data folder, readable by this account only', async () => {
    const dir = tempDir();
    const first = await resolveServerSecretKey(undefined, dir);
    const again = await resolveServerSecretKey(undefined, dir);
    expect(first.key.equals(again.key)).toBe(true);
    expect(first.key).toHaveLength(32);
    expect(mode(path.join(dir, SECRET_KEY_FILE))).toBe(0o600);
  });

  it('is narrowed back to 0600 when a copy widened the file', async () => {
    const dir = tempDir();
    const first = await resolveServerSecretKey(undefined, dir);
    fs.chmodSync(path.join(dir, SECRET_KEY_FILE), 0o644);
    expect((await resolveServerSecretKey(undefined, dir)).key.equals(first.key)).toBe(true);
    expect(mode(path.join(dir, SECRET_KEY_FILE))).toBe(0o600);
  });

  it('comes from NEXUS_SECRET_KEY when it is set, and then no file is written', async () => {
    const dir = tempDir();
    const a = await resolveServerSecretKey('an operator chosen secret key of 32+ chars', dir);
    const b = await resolveServerSecretKey('an operator chosen secret key of 32+ chars', tempDir());
    expect(a.key.equals(b.key)).toBe(true);
    expect(fs.existsSync(path.join(dir, SECRET_KEY_FILE))).toBe(false);
  });
});

describe('the generated JWT signing key', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  beforeEach(async () => {
    await tdb.db.deleteFrom('server_secrets').execute();
  });
  afterAll(async () => {
    await tdb?.drop();
  });
  const stored = async () =>
    (
      await tdb.db
        .selectFrom('server_secrets')
        .select('value')
        .where('name', '=', 'jwt_signing_key')
        .executeTakeFirstOrThrow()
    ).value;

  it('is one key for every server starting at once, and the database holds it sealed, not in plain text', async () => {
    const secretKey = await resolveServerSecretKey(undefined, tempDir());
    const [a, b] = await Promise.all([
      resolveSigningKey(tdb.db, secretKey),
      resolveSigningKey(tdb.db, secretKey),
    ]);
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(48);
    const value = await stored();
    expect(isSealed(value)).toBe(true);
    expect(value).not.toContain(a);
  });

  it('seals a plaintext key left by an earlier version, and keeps the same key (tokens stay valid)', async () => {
    await tdb.db
      .insertInto('server_secrets')
      .values({ name: 'jwt_signing_key', value: 'a-plaintext-key-from-before-0123456789' })
      .execute();
    const secretKey = await resolveServerSecretKey(undefined, tempDir());
    expect(await resolveSigningKey(tdb.db, secretKey)).toBe('a-plaintext-key-from-before-0123456789');
    expect(isSealed(await stored())).toBe(true);
    expect(await resolveSigningKey(tdb.db, secretKey)).toBe('a-plaintext-key-from-before-0123456789');
  });

  it('refuses, with what to do, a key sealed under another secret key', async () => {
    await resolveSigningKey(tdb.db, await resolveServerSecretKey(undefined, tempDir()));
    const other = resolveSigningKey(
      tdb.db,
      await resolveServerSecretKey('another secret key of more than 32 chars', tempDir()),
    );
    await expect(other).rejects.toThrow(ServerSecretKeyError);
    await expect(other).rejects.toThrow(
      /sealed with another secret key than NEXUS_SECRET_KEY: give every server the same/,
    );
  });
});
