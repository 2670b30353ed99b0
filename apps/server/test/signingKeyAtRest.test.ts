import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/serverHarness';

/** Finding 5 of issue 11: the JWT signing key sat in plain text in the database. */
describe('a server with a generated signing key', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-data-'));
  // An empty NEXUS_JWT_SECRET is unset: the server generates and keeps its own key.
  const t = useTestServer({ NEXUS_JWT_SECRET: '', NEXUS_DATA_DIR: dataDir });

  it('does not accept an admin token forged with what a reader of the database finds there', async () => {
    const admin = await t.tdb.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    const secrets = await t.tdb.db.selectFrom('server_secrets').select(['name', 'value']).execute();
    const openapi = (token: string) =>
      fetch(`${t.server.url}/api/openapi.json`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );

    expect(await openapi(await t.server.tokenFor('admin'))).toBe(200);
    expect(secrets.map((s) => s.name)).toContain('jwt_signing_key');
    for (const { value } of secrets) {
      const forged = jwt.sign({ typ: 'access', name: 'admin', role: 'admin' }, value, {
        algorithm: 'HS256',
        issuer: 'nexus',
        audience: 'nexus-api',
        subject: admin.id,
        expiresIn: 900,
        jwtid: randomUUID(),
      });
      expect(await openapi(forged)).toBe(401);
    }
  });

  it('keeps the key that seals it in the data folder, mode 0600', () => {
    expect(fs.statSync(path.join(dataDir, 'secret-key')).mode & 0o777).toBe(0o600);
  });
});
