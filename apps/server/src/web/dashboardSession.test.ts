import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../../../test/serverHarness';

const DASHBOARD = { 'x-nexus-dashboard': '1' };

describe('the dashboard session and files', () => {
  let tdb: TestDatabase;
  let server: TestServer;
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-dashboard-'));

  beforeAll(async () => {
    fs.mkdirSync(path.join(dist, 'assets'));
    fs.writeFileSync(
      path.join(dist, 'index.html'),
      '<!doctype html><title>Nexus</title><div id="root"></div>',
    );
    fs.writeFileSync(
      path.join(dist, 'assets', 'app-abc123.js'),
      `console.log(${JSON.stringify('x'.repeat(5000))});`,
    );
    tdb = await createTestDatabase();
    server = await startTestServer(tdb, { NEXUS_DASHBOARD_DIR: dist });
  });
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  const signIn = (password = ADMIN_PASSWORD, headers: Record<string, string> = DASHBOARD) =>
    fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  const refresh = (cookie: string) =>
    fetch(`${server.url}/api/v1/session/refresh`, { method: 'POST', headers: { ...DASHBOARD, cookie } });

  it('keeps the refresh token in an HttpOnly, SameSite=Strict cookie and gives the access token in the body only', async () => {
    const res = await signIn();
    expect(res.status).toBe(200);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^nexus_session=nxr_/);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/api/v1/session');
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['accessToken', 'expiresIn', 'user']);
    expect(body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const me = await fetch(`${server.url}/trpc/auth.me`, {
      headers: { authorization: `Bearer ${String(body.accessToken)}` },
    });
    expect(me.status).toBe(200);
  });

  it('refreshes from the cookie, rotating it, and a spent cookie ends the whole session', async () => {
    const first = cookieOf(await signIn());
    const refreshed = await refresh(first);
    expect(refreshed.status).toBe(200);
    const second = cookieOf(refreshed);
    expect(second).not.toBe(first);
    // The first cookie presented again looks stolen: its family, the second cookie included, is revoked.
    expect((await refresh(first)).status).toBe(401);
    expect((await refresh(second)).status).toBe(401);
  });

  it('signs out: the cookie is cleared and its token no longer refreshes', async () => {
    const cookie = cookieOf(await signIn());
    const out = await fetch(`${server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { ...DASHBOARD, cookie },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await refresh(cookie)).status).toBe(401);
  });

  it('refuses requests without the dashboard header (a cross-site form cannot send it) and wrong passwords', async () => {
    expect((await signIn(ADMIN_PASSWORD, {})).status).toBe(400);
    const cookie = cookieOf(await signIn());
    const res = await fetch(`${server.url}/api/v1/session/refresh`, { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(400);
    const wrong = await signIn('not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    expect((await refresh('')).status).toBe(401);
  });

  it("answers a wrong method with 405 and the error table's code, as every route does", async () => {
    const res = await fetch(`${server.url}/api/v1/session`, { method: 'GET', headers: DASHBOARD });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, DELETE');
    expect(await res.json()).toMatchObject({ error: { code: 'REQUEST.METHOD_NOT_ALLOWED' } });
  });

  it('serves the built app: index.html for app routes, hashed assets cached and gzipped, no escape from the folder', async () => {
    const page = await fetch(`${server.url}/review/some-case`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root">');

    const asset = await fetch(`${server.url}/assets/app-abc123.js`, {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(Number(asset.headers.get('content-length'))).toBeLessThan(1000);
    const etag = asset.headers.get('etag')!;
    const again = await fetch(`${server.url}/assets/app-abc123.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);

    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
    const escape = await fetch(`${server.url}/..%2f..%2fpackage.json`);
    expect(await escape.text()).not.toContain('"workspaces"');
    // The API keeps its own 404s.
    expect((await fetch(`${server.url}/api/v1/nothing`)).status).toBe(404);
  });
});
