import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLES, type UserRole } from '@nexus/schema';
import { TEST_JWT_SECRET, useTestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import { addUser, disableUserByName } from '../users/usersService';
import { appRouter } from './appRouter';

type Level = 'public' | 'authed' | 'admin' | 'operator' | 'reviewer' | 'ingest' | 'identify' | 'privacy';

/** Who may call what: written out here on purpose, so a change to the grants shows up as a failing test. */
const ALLOWED: Record<Level, readonly UserRole[] | 'everyone'> = {
  public: 'everyone',
  authed: ['admin', 'operator', 'reviewer', 'ingest'],
  admin: ['admin'],
  operator: ['admin', 'operator'],
  reviewer: ['admin', 'operator', 'reviewer'],
  ingest: ['admin', 'operator', 'ingest'],
  identify: ['admin', 'operator', 'ingest'],
  privacy: ['admin'],
};

const EXPECTED: Record<string, Level> = {
  'auth.login': 'public',
  'auth.refresh': 'public',
  'auth.me': 'authed',
  'auth.changePassword': 'authed',
  'ingest.submitBatch': 'ingest',
  'ingest.stream': 'ingest',
  'ingest.readUpload': 'ingest',
  'batches.list': 'ingest',
  'batches.get': 'ingest',
  'batches.records': 'ingest',
  'batches.cancel': 'ingest',
  'batches.retryFailed': 'operator',
  'records.get': 'authed',
  'records.face': 'reviewer',
  'customers.search': 'reviewer',
  'customers.get': 'reviewer',
  'customers.merge': 'reviewer',
  'customers.split': 'reviewer',
  'review.queue': 'reviewer',
  'review.get': 'reviewer',
  'review.claim': 'reviewer',
  'review.release': 'reviewer',
  'review.resolve': 'reviewer',
  'deadLetters.list': 'operator',
  'deadLetters.replay': 'operator',
  'deadLetters.discard': 'operator',
  'audit.list': 'reviewer',
  'users.list': 'admin',
  'users.add': 'admin',
  'users.disable': 'admin',
  'users.issueApiKey': 'admin',
  'users.apiKeys': 'admin',
  'users.revokeApiKey': 'admin',
  'live.throughput': 'operator',
  'live.engine': 'operator',
  'live.batchProgress': 'ingest',
  'live.activeBatches': 'ingest',
  'live.reviewCases': 'reviewer',
  'live.audit': 'reviewer',
  // contacts (/identify)
  'contacts.identify': 'identify',
  'contacts.find': 'reviewer',
  'contacts.get': 'reviewer',
  'contacts.ofGoldenRecord': 'reviewer',
  'contacts.deleteFamily': 'admin',
  'contacts.eraseFamily': 'admin',
  // Analytics: reviewers read the reports too (queue figures); runs and rollups are for operators.
  'analytics.daily': 'reviewer',
  'analytics.report': 'reviewer',
  'analytics.zones': 'reviewer',
  'analytics.runs': 'operator',
  'analytics.rollup': 'operator',
  // Erasure and access requests (issue 18): admins only.
  'privacy.erase': 'privacy',
  'privacy.exportPerson': 'privacy',
  // Privacy: admins read the access trail; whoever may read a record may reveal one of its values.
  'access.trail': 'admin',
  'access.reveal': 'reviewer',
  // Notifications: admins choose where data goes; operators watch and pause, resume, redeliver.
  'notifications.list': 'operator',
  'notifications.get': 'operator',
  'notifications.create': 'admin',
  'notifications.delete': 'admin',
  'notifications.pause': 'operator',
  'notifications.resume': 'operator',
  'notifications.replay': 'admin',
  'notifications.deliveries': 'operator',
  'notifications.redeliver': 'operator',
  // Jobs reach the server's network, files and credentials: operators and admins only (ADR 0033).
  'jobs.sources': 'operator',
  'jobs.source': 'operator',
  'jobs.createSource': 'operator',
  'jobs.updateSource': 'operator',
  'jobs.removeSource': 'operator',
  'jobs.list': 'operator',
  'jobs.get': 'operator',
  'jobs.runs': 'operator',
  'jobs.rejections': 'operator',
  'jobs.create': 'operator',
  'jobs.cancel': 'operator',
  'jobs.retry': 'operator',
  'jobs.testSource': 'operator',
  'jobs.progress': 'operator',
};

interface ProcedureDef {
  _def: { type: 'query' | 'mutation' | 'subscription'; meta?: { level?: Level } };
}
const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;

/** Calls a procedure over HTTP with an input no procedure accepts, so nothing runs past the role check. */
async function callOverHttp(
  url: string,
  path: string,
  type: ProcedureDef['_def']['type'],
  token: string | undefined,
) {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const streams = new AbortController();
  const input = encodeURIComponent(JSON.stringify('not-an-input'));
  const res =
    type === 'mutation'
      ? await fetch(`${url}/trpc/${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify('not-an-input'),
        })
      : await fetch(`${url}/trpc/${path}?input=${input}`, { headers, signal: streams.signal });
  let text = '';
  if ((res.headers.get('content-type') ?? '').startsWith('text/event-stream') && res.body) {
    // A subscription over HTTP answers with an event stream: a refusal is its first error event;
    // an allowed subscription that takes no input streams on, so reading stops after 3 s.
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const deadline = setTimeout(() => streams.abort(), 3000);
    try {
      while (!/"code":"[A-Z_]+"/.test(text)) {
        const { done, value } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } catch {
      // aborted at the deadline: nothing refused it
    } finally {
      clearTimeout(deadline);
      streams.abort();
    }
  } else {
    text = await res.text();
  }
  const code = /"code":"([A-Z_]+)"/.exec(text)?.[1];
  return { status: res.status, code };
}

describe('access control', () => {
  const suite = useTestServer();

  it('states a level for every procedure, the one this test expects', () => {
    const levels = Object.fromEntries(
      Object.entries(procedures).map(([path, p]) => [path, p._def.meta?.level]),
    );
    expect(levels).toEqual(EXPECTED);
  });

  it('allows or refuses every procedure for every role, and refuses anonymous callers', async () => {
    const tokens = Object.fromEntries(
      await Promise.all(USER_ROLES.map(async (r) => [r, await suite.server.tokenFor(r)] as const)),
    );
    const wrong: string[] = [];
    for (const [path, procedure] of Object.entries(procedures)) {
      const level = EXPECTED[path]!;
      const allowed = ALLOWED[level];
      for (const who of [undefined, ...USER_ROLES]) {
        const { status, code } = await callOverHttp(
          suite.server.url,
          path,
          procedure._def.type,
          who ? tokens[who] : undefined,
        );
        const may = allowed === 'everyone' || (who !== undefined && allowed.includes(who));
        const expected = may ? 'allowed' : who === undefined ? 'UNAUTHORIZED' : 'FORBIDDEN';
        const got =
          code === 'UNAUTHORIZED' || code === 'FORBIDDEN' ? code : status < 500 ? 'allowed' : `${status}`;
        if (got !== expected)
          wrong.push(
            `${path} as ${who ?? 'anonymous'}: expected ${expected}, got ${got} (${status} ${code ?? ''})`,
          );
      }
    }
    expect(wrong).toEqual([]);
  });

  describe('tokens', () => {
    const claims = { typ: 'access', name: 'admin', role: 'admin' };
    const sign = (options: jwt.SignOptions, secret = TEST_JWT_SECRET) =>
      jwt.sign(claims, secret, {
        algorithm: 'HS256',
        issuer: 'nexus',
        audience: 'nexus-api',
        expiresIn: 60,
        ...options,
      });
    let adminId: string;

    beforeAll(async () => {
      adminId = (
        await suite.tdb.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'admin')
          .executeTakeFirstOrThrow()
      ).id;
    });

    const statusWith = async (token: string) =>
      (
        await fetch(`${suite.server.url}/api/v1/batches/${randomUUID()}`, {
          headers: { authorization: `Bearer ${token}` },
        })
      ).status;

    it('accepts a well-formed token: the batch is simply not found', async () => {
      expect(await statusWith(sign({ subject: adminId }))).toBe(404);
    });

    it('refuses expired, never-expiring, forged, alg:none, wrong-audience and wrong-issuer tokens', async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, sub: adminId, iss: 'nexus', aud: 'nexus-api', exp: now + 60 })}.`;
      const refused = {
        expired: sign({ subject: adminId, expiresIn: -10 }),
        forged: sign({ subject: adminId }, 'another-secret-that-is-long-enough-to-sign'),
        algNone: none,
        wrongAudience: sign({ subject: adminId, audience: 'someone-else' }),
        wrongIssuer: sign({ subject: adminId, issuer: 'someone-else' }),
        unknownUser: sign({ subject: randomUUID() }),
        garbage: 'not.a.token',
        noExpiry: jwt.sign(claims, TEST_JWT_SECRET, {
          algorithm: 'HS256',
          subject: adminId,
          issuer: 'nexus',
          audience: 'nexus-api',
        }),
        hs512: jwt.sign(claims, TEST_JWT_SECRET, {
          algorithm: 'HS512',
          subject: adminId,
          issuer: 'nexus',
          audience: 'nexus-api',
          expiresIn: 60,
        }),
      };
      const statuses: Record<string, number> = Object.fromEntries(
        await Promise.all(Object.entries(refused).map(async ([k, t]) => [k, await statusWith(t)] as const)),
      );
      expect(statuses).toEqual(Object.fromEntries(Object.keys(refused).map((k) => [k, 401])));
      const me = await fetch(`${suite.server.url}/trpc/auth.me`, {
        headers: { authorization: `Bearer ${refused.algNone}` },
      });
      expect(me.status).toBe(401);
    });

    it('refuses a WebSocket subscription without a valid token in the connection params', async () => {
      const client = createNexusClient(suite.server.url, refusedToken());
      try {
        const error = await new Promise<unknown>((resolve) => {
          client.trpc.live.throughput.subscribe(undefined, {
            onError: resolve,
            onData: () => resolve('data'),
          });
        });
        expect((error as { data?: { code?: string } }).data?.code).toBe('UNAUTHORIZED');
      } finally {
        await client.close();
      }
      function refusedToken() {
        return sign({ subject: adminId, audience: 'someone-else' });
      }
    });

    it('rotates refresh tokens and revokes the family when a spent one comes back', async () => {
      const first = await suite.server.login('admin', 'admin-password-for-tests');
      const refresh = (refreshToken: string) =>
        fetch(`${suite.server.url}/api/v1/auth/refresh`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ refreshToken }),
        });
      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      const pair = (await second.json()) as { refreshToken: string; accessToken: string; expiresIn: number };
      expect(Object.keys(pair).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
      expect((await refresh(first.refreshToken)).status).toBe(401); // replayed: the family is revoked
      expect((await refresh(pair.refreshToken)).status).toBe(401);
    });

    it('lets service accounts in with API keys, and shuts disabled accounts out at once', async () => {
      const { apiKey } = await addUser(
        suite.tdb.db,
        { username: 'etl', role: 'ingest', kind: 'service' },
        'test',
      );
      expect(apiKey).toMatch(/^nxk_/);
      expect(await statusWith(apiKey!)).toBe(404);
      expect(await statusWith(`${apiKey!.slice(0, -2)}xx`)).toBe(401);
      await disableUserByName(suite.tdb.db, 'etl', 'test');
      expect(await statusWith(apiKey!)).toBe(401);

      await addUser(suite.tdb.db, { username: 'temp', role: 'operator', password: 'temp-password' }, 'test');
      const { accessToken } = await suite.server.login('temp', 'temp-password');
      expect(await statusWith(accessToken)).toBe(404);
      await disableUserByName(suite.tdb.db, 'temp', 'test');
      expect(await statusWith(accessToken)).toBe(401);
      const login = await fetch(`${suite.server.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'temp', password: 'temp-password' }),
      });
      expect(login.status).toBe(401);
      expect(await login.json()).toMatchObject({ error: { code: 'AUTH.INVALID_CREDENTIALS' } });
    });
  });
});
