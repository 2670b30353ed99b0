import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';

/**
 * Issue 11, finding 1: one anonymous request killed the server. Every place that reads a body
 * (REST JSON, tRPC over HTTP, the dashboard session, the dashboard's upload) is sent a body over
 * the limit in chunks, and a body that breaks off; each ends in an answer or a closed socket, and
 * the process (this one: the server runs in it) has seen no uncaught exception.
 */
const LIMIT = 64 * 1024;
const ctx = useTestServer({ NEXUS_MAX_BODY_BYTES: String(LIMIT) });

type Ending = { status: number; body: string } | { closed: string };

/** A request written by hand: `chunks` go out one by one (chunked), or stop early with `breakOff`. */
function send(
  path: string,
  options: { headers?: Record<string, string>; chunks: string[]; breakOff?: boolean },
): Promise<Ending> {
  const url = new URL(ctx.server.url);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', ...options.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (e) => resolve({ closed: e.message }));
      },
    );
    req.on('error', (e) => resolve({ closed: e.message }));
    for (const chunk of options.chunks) req.write(chunk);
    if (options.breakOff) setTimeout(() => req.destroy(), 50);
    else req.end();
  });
}

const oversized = () => [
  '{"records":[',
  ...Array.from({ length: 80 }, () => `"${'x'.repeat(1022)}",`),
  '1]}',
];

describe('requests that cannot crash the server', () => {
  const uncaught: unknown[] = [];
  const collect = (error: unknown) => uncaught.push(error);
  let tokens: Record<'ingest' | 'admin', string>;
  beforeAll(async () => {
    process.on('uncaughtException', collect);
    tokens = { ingest: await ctx.server.tokenFor('ingest'), admin: await ctx.server.tokenFor('admin') };
  });
  afterAll(() => {
    process.off('uncaughtException', collect);
  });
  beforeEach(() => {
    uncaught.length = 0;
  });

  const readers: Array<{ name: string; path: string; headers: () => Record<string, string> }> = [
    {
      name: 'the dashboard session (anonymous)',
      path: '/api/v1/session',
      headers: () => ({ 'x-nexus-dashboard': '1' }),
    },
    { name: 'REST sign-in (anonymous)', path: '/api/v1/auth/login', headers: () => ({}) },
    {
      name: 'REST batch (ingest token)',
      path: '/api/v1/records',
      headers: () => ({ authorization: `Bearer ${tokens.ingest}` }),
    },
    { name: 'REST batch (no token)', path: '/api/v1/records', headers: () => ({}) },
    {
      name: 'tRPC batch',
      path: '/trpc/ingest.submitBatch',
      headers: () => ({ authorization: `Bearer ${tokens.ingest}` }),
    },
    {
      name: 'tRPC upload',
      path: '/trpc/ingest.readUpload',
      headers: () => ({ authorization: `Bearer ${tokens.admin}` }),
    },
  ];

  async function stillServing() {
    // Let whatever the request set off run its course (log lines on finish, socket close).
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(uncaught).toEqual([]);
    expect((await fetch(`${ctx.server.url}/health`)).status).toBe(200);
  }

  for (const reader of readers) {
    it(`${reader.name}: a chunked body over the limit ends in 413 or a closed socket`, async () => {
      const ending = await send(reader.path, {
        headers: { ...reader.headers(), 'transfer-encoding': 'chunked' },
        chunks: oversized(),
      });
      if ('status' in ending) expect([401, 413]).toContain(ending.status);
      await stillServing();
    });

    it(`${reader.name}: a body that breaks off ends quietly`, async () => {
      const ending = await send(reader.path, {
        headers: { ...reader.headers(), 'content-length': '5000' },
        chunks: ['{"username":"adm'],
        breakOff: true,
      });
      // The server may answer before the body is all there (a 401 without a token); never a 5xx.
      if ('status' in ending) expect(ending.status).toBeLessThan(500);
      await stillServing();
    });
  }

  it('a declared length over the limit is refused before the body is read, with connection: close', async () => {
    const ending = await send('/api/v1/session', {
      headers: { 'x-nexus-dashboard': '1', 'content-length': String(LIMIT * 4) },
      chunks: [],
    });
    expect(ending).toMatchObject({ status: 413 });
    await stillServing();
  });

  it('a WebSocket upgrade with a request line that is no URL is refused, the server goes on', async () => {
    const url = new URL(ctx.server.url);
    const ending = await new Promise<string>((resolve) => {
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: 'http://[::1',
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-version': '13',
          'sec-websocket-key': 'x',
        },
      });
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('upgrade', () => resolve('upgraded'));
      req.on('error', (e) => resolve(e.message));
      req.end();
    });
    expect(ending).not.toBe('upgraded');
    await stillServing();
  });
});
