import { Writable } from 'node:stream';
import jwt from 'jsonwebtoken';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN_PASSWORD, TEST_JWT_SECRET, useTestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import { SESSION_ENDED_CLOSE_CODE } from '../users/accountSessions';
import { addUser, disableUserByName } from '../users/usersService';
import { throttledLogin } from './throttledAuth';

const suite = useTestServer({
  NEXUS_TRUSTED_PROXIES: '127.0.0.1,::1',
  // One a minute: a second attempt within the minute is refused, however slow the machine.
  NEXUS_LOGIN_RATE_PER_MINUTE: '1',
  NEXUS_WS_MAX_SUBSCRIPTIONS: '2',
  NEXUS_ALLOWED_ORIGINS: 'https://dashboard.example',
});

/** Each sign-in from an address of its own, so the sign-in throttle (1 a minute) is never what answers. */
let nextClient = 1;
async function signIn(username: string, password: string) {
  const res = await fetch(`${suite.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.7.0.${nextClient++}` },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in ${username}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { accessToken: string; refreshToken: string };
}

const me = (token: string) =>
  fetch(`${suite.server.url}/trpc/auth.me`, { headers: { authorization: `Bearer ${token}` } }).then(
    (r) => r.status,
  );
const refresh = (refreshToken: string) =>
  fetch(`${suite.server.url}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  }).then((r) => r.status);

async function until(what: string, check: () => boolean, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A client watching the audit feed that does not reconnect within the test; its close codes. */
async function watching(token: string) {
  const closes: Array<number | undefined> = [];
  const client = createNexusClient(suite.server.url, token, {
    onWsClose: (cause) => closes.push(cause?.code),
    retryDelayMs: () => 60_000,
  });
  let started = false;
  client.trpc.live.audit.subscribe({}, { onStarted: () => (started = true) });
  await until('subscribed', () => started);
  return { client, closes };
}

async function person(username: string, role: 'reviewer' | 'admin' = 'reviewer') {
  const password = `${username}-password`;
  const { user } = await addUser(suite.tdb.db, { username, role, password }, 'test');
  return { userId: user.id, password };
}

describe('changing the password', () => {
  it('ends the other sessions (refresh tokens, access tokens, WebSockets) and keeps the one that asked', async () => {
    const { password } = await person('mover');
    const here = await signIn('mover', password);
    const elsewhere = await signIn('mover', password);
    const watcher = await watching(elsewhere.accessToken);
    try {
      const client = createNexusClient(suite.server.url, here.accessToken);
      await client.trpc.auth.changePassword.mutate({
        currentPassword: password,
        newPassword: 'a-new-password',
      });
      await client.close();

      await until('the other session is cut off', () => watcher.closes.length > 0);
      expect(watcher.closes).toEqual([SESSION_ENDED_CLOSE_CODE]);
      expect(await me(elsewhere.accessToken)).toBe(401);
      expect(await refresh(elsewhere.refreshToken)).toBe(401);
      expect(await me(here.accessToken)).toBe(200);
      expect(await refresh(here.refreshToken)).toBe(200);
      await signIn('mover', 'a-new-password');
    } finally {
      await watcher.client.close();
    }
  });

  it('is throttled as sign-ins are, per account', async () => {
    const { password } = await person('guessed');
    const session = await signIn('guessed', password);
    const client = createNexusClient(suite.server.url, session.accessToken);
    const attempt = (currentPassword: string) =>
      client.trpc.auth.changePassword.mutate({ currentPassword, newPassword: 'never-set-password' }).then(
        () => 'changed',
        (e: { data?: { domainCode?: string } }) => e.data?.domainCode,
      );
    // One guess spends the account's minute; the right password next is refused all the same.
    expect(await attempt('a-wrong-guess')).toBe('AUTH.INVALID_CREDENTIALS');
    expect(await attempt(password)).toBe('REQUEST.RATE_LIMITED');
    expect(await me(session.accessToken)).toBe(200);
    await client.close();
  });
});

describe('signing out', () => {
  it('refuses the session’s access token at once', async () => {
    const headers = {
      'x-nexus-dashboard': '1',
      'content-type': 'application/json',
      'x-forwarded-for': '10.7.1.1',
    };
    const res = await fetch(`${suite.server.url}/api/v1/session`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await res.json()) as { accessToken: string };
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(await me(accessToken)).toBe(200);
    const out = await fetch(`${suite.server.url}/api/v1/session`, {
      method: 'DELETE',
      headers: { ...headers, cookie },
    });
    expect(out.status).toBe(204);
    expect(await me(accessToken)).toBe(401);
  });
});

describe('access tokens on a WebSocket', () => {
  it('close the connection when the token expires (4401), as HTTP would refuse it', async () => {
    const { userId } = await person('expiring');
    const now = Math.floor(Date.now() / 1000);
    const shortLived = jwt.sign(
      { typ: 'access', name: 'expiring', role: 'reviewer', iat: now, exp: now + 2 },
      TEST_JWT_SECRET,
      { algorithm: 'HS256', issuer: 'nexus', audience: 'nexus-api', subject: userId },
    );
    const watcher = await watching(shortLived);
    try {
      await until('the socket closes at expiry', () => watcher.closes.length > 0);
      expect(watcher.closes).toEqual([SESSION_ENDED_CLOSE_CODE]);
      expect(await me(shortLived)).toBe(401);
    } finally {
      await watcher.client.close();
    }
  });

  it('are refused without an expiry', async () => {
    const { userId } = await person('forever');
    const noExpiry = jwt.sign({ typ: 'access', name: 'forever', role: 'reviewer' }, TEST_JWT_SECRET, {
      algorithm: 'HS256',
      issuer: 'nexus',
      audience: 'nexus-api',
      subject: userId,
    });
    expect(await me(noExpiry)).toBe(401);
  });
});

describe('the WebSocket upgrade', () => {
  const open = (headers: Record<string, string>) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(`${suite.server.url.replace(/^http/, 'ws')}/trpc`, { headers });
      ws.once('open', () => {
        ws.close();
        resolve(101);
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.once('error', () => undefined);
    });

  it('accepts the server’s own origin, the configured ones and clients without Origin; refuses other sites', async () => {
    const own = new URL(suite.server.url).origin;
    expect(
      await Promise.all([
        open({ origin: own }),
        open({ origin: 'https://dashboard.example' }),
        open({}),
        open({ origin: 'https://evil.example' }),
        open({ origin: 'null' }),
        open({ origin: `${own}.evil.example` }),
      ]),
    ).toEqual([101, 101, 101, 403, 403, 403]);
  });

  it('believes X-Forwarded-Host for the own origin only from a trusted proxy', async () => {
    expect(
      await open({ origin: 'https://nexus.example:8443', 'x-forwarded-host': 'nexus.example:8443' }),
    ).toBe(101);
  });
});

describe('subscriptions on one connection', () => {
  it('are capped (NEXUS_WS_MAX_SUBSCRIPTIONS) with a clear error, and a stopped one frees its place', async () => {
    const token = await suite.server.tokenFor('admin');
    const client = createNexusClient(suite.server.url, token);
    try {
      const started: string[] = [];
      const subscribe = (name: string) =>
        new Promise<{ unsubscribe: () => void; outcome: string }>((resolve) => {
          const sub = client.trpc.live.audit.subscribe(
            {},
            {
              onStarted: () => {
                started.push(name);
                resolve({ unsubscribe: () => sub.unsubscribe(), outcome: 'started' });
              },
              onError: (e) => {
                const data = (e as { data?: { domainCode?: string } }).data;
                resolve({
                  unsubscribe: () => sub.unsubscribe(),
                  outcome: `${data?.domainCode}: ${e.message}`,
                });
              },
            },
          );
        });
      const first = await subscribe('first');
      const second = await subscribe('second');
      const third = await subscribe('third');
      expect([first.outcome, second.outcome]).toEqual(['started', 'started']);
      expect(third.outcome).toMatch(/^REQUEST.TOO_MANY_SUBSCRIPTIONS: .*NEXUS_WS_MAX_SUBSCRIPTIONS/);
      first.unsubscribe();
      let fourth = await subscribe('fourth');
      // The stop travels on the socket; until the server has it, the place is still taken.
      for (let i = 0; i < 40 && fourth.outcome !== 'started'; i++) {
        fourth.unsubscribe();
        await new Promise((r) => setTimeout(r, 50));
        fourth = await subscribe('fourth');
      }
      expect(fourth.outcome).toBe('started');
    } finally {
      await client.close();
    }
  });
});

describe('API keys', () => {
  it('are revoked one at a time, audited, and the connections of a revoked key close', async () => {
    const admin = createNexusClient(suite.server.url, await suite.server.tokenFor('admin'));
    try {
      const { apiKey: first } = await admin.trpc.users.add.mutate({
        username: 'loader',
        role: 'operator',
        kind: 'service',
      });
      const { apiKey: second } = await admin.trpc.users.issueApiKey.mutate({ username: 'loader' });
      const keys = await admin.trpc.users.apiKeys.query({ username: 'loader' });
      expect(keys.map((k) => k.revoked)).toEqual([false, false]);
      const firstId = /^nxk_([0-9a-f-]{36})\./.exec(first!)![1]!;
      expect(keys.map((k) => k.id).sort()).toEqual(
        [firstId, /^nxk_([0-9a-f-]{36})\./.exec(second)![1]!].sort(),
      );
      const watcher = await watching(first!);
      try {
        const after = await admin.trpc.users.revokeApiKey.mutate({ username: 'loader', keyId: firstId });
        expect(after.find((k) => k.id === firstId)?.revoked).toBe(true);
        await until('the revoked key’s socket closes', () => watcher.closes.length > 0);
        expect(watcher.closes).toEqual([SESSION_ENDED_CLOSE_CODE]);
      } finally {
        await watcher.client.close();
      }
      expect(await me(first!)).toBe(401);
      expect(await me(second)).toBe(200);
      await expect(
        admin.trpc.users.revokeApiKey.mutate({ username: 'loader', keyId: firstId }),
      ).rejects.toMatchObject({
        data: { domainCode: 'USER.NOT_FOUND' },
      });
      const audit = await suite.tdb.db
        .selectFrom('audit_log')
        .select(['actor', 'after'])
        .where('action', '=', 'user.api_key_revoked')
        .execute();
      expect(audit).toEqual([{ actor: 'admin', after: { keyId: firstId, revoked: true } }]);
    } finally {
      await admin.close();
    }
  });
});

describe('disabling yourself', () => {
  it('is refused however the name is spelt', async () => {
    const admin = createNexusClient(suite.server.url, await suite.server.tokenFor('admin'));
    try {
      await expect(admin.trpc.users.disable.mutate({ username: 'ADMIN' })).rejects.toMatchObject({
        data: { domainCode: 'USER.INVALID' },
      });
    } finally {
      await admin.close();
    }
    await expect(disableUserByName(suite.tdb.db, 'Admin', 'aDMIN')).rejects.toMatchObject({
      code: 'USER.INVALID',
    });
    expect(await me(await suite.server.tokenFor('admin'))).toBe(200);
  });
});

describe('a failed sign-in', () => {
  it('logs the username only when such an account exists (else it may be a password)', async () => {
    const lines: string[] = [];
    const log = pino(
      { level: 'warn' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    const ctx = (clientAddress: string) => ({ deps: suite.server.nexus.deps, clientAddress, log });
    const typedPassword = 'Correct-Horse-Battery-9';
    await expect(
      throttledLogin(ctx('10.7.2.1'), { username: typedPassword, password: 'x' }),
    ).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIALS',
    });
    await expect(
      throttledLogin(ctx('10.7.2.2'), { username: 'admin', password: 'wrong' }),
    ).rejects.toMatchObject({
      code: 'AUTH.INVALID_CREDENTIALS',
    });
    expect(lines).toHaveLength(2);
    expect(lines.join('\n').toLowerCase()).not.toContain(typedPassword.toLowerCase());
    const unknown = JSON.parse(lines[0]!) as { msg: string; usernameRef?: string; username?: string };
    expect(unknown.msg).toBe('sign-in failed');
    expect(unknown.usernameRef).toMatch(/^[0-9a-f]{16}$/);
    expect(unknown.username).toBeUndefined();
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: 'sign-in failed', username: 'admin' });
  });
});
