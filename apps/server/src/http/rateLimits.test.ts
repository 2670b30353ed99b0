import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ADMIN_PASSWORD, useTestServer } from '../../../../test/serverHarness';
import { TOO_MANY_MESSAGES_CLOSE_CODE } from './wsServer';

/**
 * Buckets of 5 that refill one token every 1000 s: nothing refills within a test. The server
 * trusts the loopback address as its proxy, so each test speaks for clients of its own through
 * X-Forwarded-For, as nginx does for people.
 */
const BURST = 5;
const suite = useTestServer({
  NEXUS_RATE_LIMIT_RPS: '0.001',
  NEXUS_RATE_LIMIT_BURST: String(BURST),
  NEXUS_LOGIN_RATE_PER_MINUTE: '1',
  NEXUS_TRUSTED_PROXIES: '127.0.0.1, ::1',
  NEXUS_TRPC_MAX_BATCH: '5',
  NEXUS_WS_MESSAGES_PER_SECOND: '0.001',
  NEXUS_WS_MESSAGE_BURST: '4',
});

const from = (client: string, headers: Record<string, string> = {}) => ({
  ...headers,
  'x-forwarded-for': client,
});

async function statuses(n: number, request: (i: number) => Promise<Response>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await request(i);
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
}

async function signIn(client: string, username: string, password: string): Promise<Response> {
  return fetch(`${suite.server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: from(client, { 'content-type': 'application/json' }),
    body: JSON.stringify({ username, password }),
  });
}

describe('rate limits', () => {
  it('give made-up bearer tokens no bucket of their own: they spend their address', async () => {
    const got = await statuses(BURST + 2, (i) =>
      fetch(`${suite.server.url}/api/openapi.json`, {
        headers: from('10.1.0.1', { authorization: `Bearer junk-token-${i}` }),
      }),
    );
    expect(got).toEqual([...Array<number>(BURST).fill(401), 429, 429]);
  });

  it('key a verified token by its account, not by the address it comes from', async () => {
    const { accessToken } = (await (await signIn('10.1.1.1', 'admin', ADMIN_PASSWORD)).json()) as {
      accessToken: string;
    };
    // The address is spent by someone else...
    await statuses(BURST, () => fetch(`${suite.server.url}/health`, { headers: from('10.1.1.2') }));
    // ...the account's own bucket is whole, whichever address it comes from.
    const got = await statuses(BURST + 1, (i) =>
      fetch(`${suite.server.url}/api/openapi.json`, {
        headers: from(i % 2 ? '10.1.1.2' : '10.1.1.3', { authorization: `Bearer ${accessToken}` }),
      }),
    );
    expect(got).toEqual([...Array<number>(BURST).fill(200), 429]);
  });

  it('limit /health and /metrics too', async () => {
    const got = await statuses(BURST + 1, (i) =>
      fetch(`${suite.server.url}${i % 2 ? '/metrics' : '/health'}`, { headers: from('10.2.0.1') }),
    );
    expect(got.slice(BURST)).toEqual([429]);
    expect(got.slice(0, BURST).every((s) => s === 200 || s === 503)).toBe(true);
  });

  it('count every call of a tRPC batch, and refuse batches over NEXUS_TRPC_MAX_BATCH', async () => {
    const batch = (calls: number, client: string) =>
      fetch(
        `${suite.server.url}/trpc/${Array<string>(calls).fill('auth.me').join(',')}?batch=1&input=${encodeURIComponent('{}')}`,
        { headers: from(client) },
      );
    // 300 calls in one GET: refused as a whole, with the limit named by tRPC.
    const huge = await batch(300, '10.3.0.1');
    expect(huge.status).toBe(400);
    expect(await huge.text()).toContain('Batch call exceeds maximum size');
    // Four calls spend four tokens: one request is left of five.
    expect((await batch(4, '10.3.0.2')).status).toBe(401);
    expect(
      await statuses(2, () => fetch(`${suite.server.url}/health`, { headers: from('10.3.0.2') })),
    ).toEqual([expect.any(Number), 429]);
  });

  it('believe X-Forwarded-For from the trusted proxy only as far as its own hop', async () => {
    // One person behind the proxy guessing passwords...
    const guesses = await statuses(2, () => signIn('10.4.0.1', 'admin', 'wrong-password'));
    expect(guesses).toEqual([401, 429]);
    // ...who also writes addresses of their own to the left of the proxy's: still the same bucket.
    expect((await signIn('192.0.2.77, 10.4.0.1', 'admin', 'wrong-password')).status).toBe(429);
    // Everyone else behind the same proxy still signs in.
    expect((await signIn('10.4.0.2', 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('key IPv6 clients by their /64, so cycling addresses within it buys nothing', async () => {
    const got = await statuses(BURST + 1, (i) =>
      fetch(`${suite.server.url}/health`, { headers: from(`2001:db8:1:2::${(i + 1).toString(16)}`) }),
    );
    expect(got.at(-1)).toBe(429);
  });

  it('close a WebSocket that sends more messages than its burst (4429)', async () => {
    const ws = new WebSocket(`${suite.server.url.replace(/^http/, 'ws')}/trpc`, {
      headers: from('10.5.0.1'),
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    for (let i = 0; i < 20; i++)
      ws.send(JSON.stringify({ id: i, method: 'query', params: { path: 'auth.me' } }));
    const { code, reason } = await closed;
    expect(code).toBe(TOO_MANY_MESSAGES_CLOSE_CODE);
    expect(reason).toMatch(/too many messages/);
  });
});
