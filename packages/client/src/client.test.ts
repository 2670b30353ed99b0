import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTRPCClient, createWSClient, TRPCClientError, wsLink } from '@trpc/client';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { addUser } from '../../../apps/server/src/users/usersService';
import { useTestServer } from '../../../test/serverHarness';
import {
  createNexusClient,
  isNexusError,
  NEXUS_API_VERSION,
  NexusError,
  submitFile,
  submitRecords,
  waitForBatches,
  type AppRouter,
  type NexusRecord,
  type TokenPair,
} from './index';

const person = (i: number, source = 'crm'): NexusRecord => ({
  external_id: `${source}-${i}`,
  given_name: `given${i}`,
  family_name: `family${i}`,
  date_of_birth: `19${String(50 + (i % 40))}-0${1 + (i % 9)}-1${i % 10}`,
});

async function caught(promise: Promise<unknown>): Promise<NexusError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(NexusError);
    return error as NexusError;
  }
  throw new Error('expected a failure');
}

describe('@nexus/client against a real server', () => {
  const suite = useTestServer({ NEXUS_ACCESS_TOKEN_TTL: '31' });
  let apiKey = '';
  const serviceKey = async () => {
    if (apiKey) return apiKey;
    const added = await addUser(
      suite.tdb.db,
      { username: 'loader', role: 'ingest', kind: 'service' },
      'test',
    );
    apiKey = added.apiKey!;
    return apiKey;
  };

  it('acts as a service account by its API key', async () => {
    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const me = await client.trpc.auth.me.query();
    expect(me).toMatchObject({ username: 'loader', role: 'ingest' });
  });

  it('keeps a person signed in: the access token is renewed before it lapses', async () => {
    await addUser(
      suite.tdb.db,
      { username: 'clerk', role: 'reviewer', password: 'clerk-password-1' },
      'test',
    );
    const issued: TokenPair[] = [];
    const client = createNexusClient(suite.server.url, {
      username: 'clerk',
      password: 'clerk-password-1',
      onTokens: (t) => issued.push(t),
    });
    expect((await client.trpc.auth.me.query()).username).toBe('clerk');
    expect(issued).toHaveLength(1);
    // Tokens live 31 s; the client renews 30 s ahead: past 1 s, the next call refreshes first.
    await new Promise((r) => setTimeout(r, 1_200));
    const [a, b] = await Promise.all([client.trpc.auth.me.query(), client.trpc.auth.me.query()]);
    expect([a.username, b.username]).toEqual(['clerk', 'clerk']);
    // One renewal for both calls, by the refresh token (spent: a second use would be refused).
    expect(issued).toHaveLength(2);
    expect(issued[1]!.refreshToken).not.toBe(issued[0]!.refreshToken);
  });

  it('refuses a wrong password with its stable code', async () => {
    const client = createNexusClient(suite.server.url, { username: 'clerk', password: 'wrong-password' });
    const error = await caught(client.trpc.auth.me.query());
    expect(error.code).toBe('AUTH.INVALID_CREDENTIALS');
    expect(error.status).toBe(401);
  });

  it('fails every call with a NexusError carrying the server code, the status and the fields', async () => {
    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const missing = await caught(
      client.trpc.batches.get.query({ batchId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(missing).toBeInstanceOf(TRPCClientError);
    expect([missing.code, missing.status]).toEqual(['BATCH.NOT_FOUND', 404]);
    expect(isNexusError(missing, 'BATCH.NOT_FOUND')).toBe(true);
    expect(isNexusError(missing, 'AUTH.FORBIDDEN')).toBe(false);

    const invalid = await caught(client.trpc.batches.get.query({ batchId: 'not-a-uuid' }));
    expect([invalid.code, invalid.status]).toEqual(['REQUEST.INVALID', 400]);
    expect(invalid.fields).toEqual([
      expect.objectContaining({ field: 'batchId', message: 'must be a UUID' }),
    ]);

    const forbidden = await caught(client.trpc.users.list.query());
    expect([forbidden.code, forbidden.status]).toEqual(['AUTH.FORBIDDEN', 403]);

    const nobody = createNexusClient(suite.server.url, 'not-a-token');
    expect((await caught(nobody.trpc.auth.me.query())).code).toBe('AUTH.UNAUTHENTICATED');
  });

  it('tells a call the server never answered from one it refused, and an aborted one', async () => {
    const down = createNexusClient('http://127.0.0.1:1', 'token');
    const unreachable = await caught(down.trpc.auth.me.query());
    expect([unreachable.code, unreachable.status]).toEqual(['CLIENT.NETWORK', 0]);

    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const aborted = await caught(client.trpc.auth.me.query(undefined, { signal: AbortSignal.abort() }));
    expect(aborted.code).toBe('CLIENT.ABORTED');
  });

  it('says which API version it speaks; the server refuses another with CLIENT.VERSION_UNSUPPORTED', async () => {
    const token = await serviceKey();
    const ask = (version: string) =>
      fetch(`${suite.server.url}/trpc/auth.me`, {
        headers: { authorization: `Bearer ${token}`, 'x-nexus-api-version': version },
      });
    expect((await ask(String(NEXUS_API_VERSION))).status).toBe(200);
    const refused = await ask('99');
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { message: string; data: { domainCode: string } } };
    expect(body.error.data.domainCode).toBe('CLIENT.VERSION_UNSUPPORTED');
    expect(body.error.message).toContain('"99"');
    // The client's own calls carry its version: one rewritten to another is refused as such.
    const wrongVersion = createNexusClient(suite.server.url, token, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers as object), 'x-nexus-api-version': '99' } }),
    });
    expect((await caught(wrongVersion.trpc.auth.me.query())).code).toBe('CLIENT.VERSION_UNSUPPORTED');

    // Over the WebSocket, the version comes in the connection params.
    const ws = createWSClient({
      url: `${suite.server.url.replace(/^http/, 'ws')}/trpc`,
      connectionParams: { token, apiVersion: '99' },
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    const raw = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws })] });
    const refusedLive = await new Promise<unknown>((resolve) => {
      raw.live.batchProgress.subscribe(
        { batchId: '00000000-0000-4000-8000-000000000000' },
        { onData: () => resolve('data'), onError: resolve },
      );
    });
    await ws.close();
    expect((refusedLive as TRPCClientError<AppRouter>).data?.domainCode).toBe('CLIENT.VERSION_UNSUPPORTED');
  });

  it('submits an async iterable with back-pressure, reports progress, then waits until every batch is decided', async () => {
    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const total = 23;
    let pulled = 0;
    let pulledAtFirstAnswer = -1;
    function* records() {
      for (let i = 0; i < total; i++) {
        pulled++;
        yield person(i);
      }
    }
    const progress: number[] = [];
    const summary = await submitRecords(client, records(), {
      source: 'crm',
      batchSize: 5,
      inFlight: 1,
      onBatch: () => {
        if (pulledAtFirstAnswer < 0) pulledAtFirstAnswer = pulled;
      },
      onProgress: (p) => progress.push(p.accepted),
    });
    // One batch in flight: the first answer came before a second batch could be read whole.
    expect(pulledAtFirstAnswer).toBeLessThanOrEqual(6);
    expect(summary).toMatchObject({ read: total, accepted: total, duplicates: 0, rejected: 0, batches: 5 });
    expect(progress).toEqual([5, 10, 15, 20, 23]);
    expect(summary.freshBatchIds).toEqual(summary.batchIds);

    const waits: number[] = [];
    const views = await waitForBatches(client, summary.batchIds, {
      onProgress: (p) => waits.push(p.decided),
    });
    expect(views.map((v) => v.id)).toEqual(summary.batchIds);
    expect(views.every((v) => v.status === 'completed' && v.counts.pending === 0)).toBe(true);
    expect(views.reduce((n, v) => n + v.counts.records, 0)).toBe(total);
    expect(waits.at(-1)).toBe(total);

    // Again: every record is known, nothing is fresh, nothing is processed twice.
    const again = await submitRecords(
      client,
      Array.from({ length: total }, (_, i) => person(i)),
      { source: 'crm' },
    );
    expect(again).toMatchObject({ accepted: total, duplicates: total, freshBatchIds: [] });
  });

  it('reports refused records by their index in the batch, and stops reading when aborted', async () => {
    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const refused: Array<{ name: string | undefined; field: string }> = [];
    const summary = await submitRecords(
      client,
      [person(1, 'bad'), { ...person(2, 'bad'), external_id: '' }, person(3, 'bad')],
      {
        source: 'bad',
        onBatch: (receipt, items) => {
          for (const r of receipt.rejected)
            refused.push({ name: items[r.index]!.given_name, field: r.errors.map((e) => e.field).join() });
        },
      },
    );
    expect(summary).toMatchObject({ accepted: 2, rejected: 1 });
    expect(refused).toEqual([{ name: 'given2', field: 'external_id' }]);

    const abort = new AbortController();
    let read = 0;
    function* endless() {
      for (let i = 0; ; i++) {
        read++;
        if (read === 12) abort.abort();
        yield person(i, 'endless');
      }
    }
    const error = await caught(
      submitRecords(client, endless(), { source: 'endless', batchSize: 5, signal: abort.signal }),
    );
    expect(error.code).toBe('CLIENT.ABORTED');
    expect(read).toBe(12);
  });

  it('submits a CSV file with quoted fields, then follows it to its decisions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-client-'));
    const file = path.join(dir, 'people.csv');
    fs.writeFileSync(
      file,
      'external_id,given_name,family_name,street\r\n' +
        'p1,Ana,"Lima, de",\r\n' +
        'p2,"Jo ""JJ""",Silva,"1 Long\nRoad"\r\n',
    );
    const client = createNexusClient(suite.server.url, { apiKey: await serviceKey() });
    const summary = await submitFile(client, file);
    expect(summary).toMatchObject({ read: 2, accepted: 2, rejected: 0 });
    const [view] = await waitForBatches(client, summary.batchIds);
    expect(view!.source).toBe('people');
    const page = await client.trpc.batches.records.query({ batchId: summary.batchIds[0]! });
    expect(page.items.map((r) => r.name).sort()).toEqual(['Ana Lima, de', 'Jo "JJ" Silva']);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('retries of calls refused for load', () => {
  const suite = useTestServer({ NEXUS_RATE_LIMIT_RPS: '1', NEXUS_RATE_LIMIT_BURST: '2' });

  it('waits as long as Retry-After says, then succeeds; with no retries the refusal is REQUEST.RATE_LIMITED', async () => {
    const token = await suite.server.tokenFor('operator');
    const retries: Array<{ status: number; delayMs: number }> = [];
    const client = createNexusClient(suite.server.url, token, {
      retry: { onRetry: ({ status, delayMs }) => retries.push({ status, delayMs }) },
    });
    for (let i = 0; i < 4; i++) expect((await client.trpc.auth.me.query()).role).toBe('operator');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.every((r) => r.status === 429 && r.delayMs === 1000)).toBe(true);

    const impatient = createNexusClient(suite.server.url, token, { retry: { retries: 0 } });
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => impatient.trpc.auth.me.query()));
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toBeDefined();
    expect(refused!.reason).toMatchObject({ code: 'REQUEST.RATE_LIMITED', status: 429 });
  });
});
