import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_FIELDS, MAX_BATCH_RECORDS } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { REST_ROUTES } from './restRoutes';

const person = (i: number, source = 'rest') => ({
  external_id: `${source}-${i}`,
  given_name: ['Ana', 'Bruno', 'Carla', 'Davi'][i % 4],
  family_name: ['Silva', 'Souza', 'Costa'][i % 3],
  date_of_birth: `1980-0${1 + (i % 9)}-1${i % 10}`,
});

describe('the REST API', () => {
  let tdb: TestDatabase;
  let server: TestServer;
  let ingestToken: string;
  let reviewerToken: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startTestServer(tdb, {
      NEXUS_MAX_BODY_BYTES: String(1024 * 1024),
      // A tiny sustained rate and a burst no client of this suite reaches but the flood below:
      // whether a request is limited does not depend on how fast a loaded machine sends them.
      NEXUS_RATE_LIMIT_RPS: '0.1',
      NEXUS_RATE_LIMIT_BURST: '500',
      NEXUS_LOGIN_RATE_PER_MINUTE: '12',
    });
    ingestToken = await server.tokenFor('ingest');
    reviewerToken = await server.tokenFor('reviewer');
  });
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    token: string | null = ingestToken,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json as Record<string, unknown>, headers: res.headers };
  };

  async function waitForBatch(batchId: string) {
    for (let i = 0; i < 250; i++) {
      const got = await call('GET', `/api/v1/batches/${batchId}`);
      if ((got.body as { status?: string }).status === 'completed') return got;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('batch did not complete');
  }

  describe('contract shapes', () => {
    it('POST /api/v1/auth/login -> {accessToken, refreshToken, expiresIn}', async () => {
      const res = await call(
        'POST',
        '/api/v1/auth/login',
        { username: 'admin', password: 'admin-password-for-tests' },
        null,
      );
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(['accessToken', 'expiresIn', 'refreshToken']);
      expect(res.body.expiresIn).toBe(900);
      expect(res.headers.get('x-request-id')).toMatch(/./);
    });

    it('POST /api/v1/records -> 202 {batchId, accepted, rejected:[{index, errors}]}, GET the batch until completed', async () => {
      const res = await call('POST', '/api/v1/records', {
        source: 'rest',
        records: [person(1), { given_name: 'no id' }, person(2), 'not a record'],
      });
      expect(res.status).toBe(202);
      expect(Object.keys(res.body).sort()).toEqual(['accepted', 'batchId', 'rejected']);
      expect(res.body.accepted).toBe(2);
      const rejected = res.body.rejected as Array<Record<string, unknown>>;
      expect(rejected.map((r) => r.index)).toEqual([1, 3]);
      for (const r of rejected) expect(Object.keys(r).sort()).toEqual(['errors', 'index']);
      expect(rejected[0]!.errors).toEqual([{ field: 'external_id', message: 'is required' }]);

      const done = await waitForBatch(res.body.batchId as string);
      expect(done.status).toBe(200);
      expect(Object.keys(done.body).sort()).toEqual(['counts', 'id', 'status']);
      expect(done.body.id).toBe(res.body.batchId);
      expect(Object.keys(done.body.counts as object).sort()).toEqual(
        ['dead_lettered', 'linked', 'new', 'pending', 'records', 'rejected', 'review'].sort(),
      );
      expect(done.body.counts).toMatchObject({ records: 2, pending: 0 });

      const cancelDone = await call('DELETE', `/api/v1/batches/${res.body.batchId as string}`);
      expect(cancelDone.status).toBe(409);
      expect(cancelDone.body).toMatchObject({ error: { code: 'BATCH.NOT_CANCELLABLE' } });
    });

    it('DELETE /api/v1/batches/:id cancels what is not yet decided', async () => {
      const res = await call('POST', '/api/v1/records', {
        source: 'cancel-me',
        records: Array.from({ length: 400 }, (_, i) => person(i, 'cancel-me')),
      });
      const cancelled = await call('DELETE', `/api/v1/batches/${res.body.batchId as string}`);
      expect(cancelled.status).toBe(200);
      expect(Object.keys(cancelled.body).sort()).toEqual(['counts', 'id', 'status']);
      expect(cancelled.body.status).toBe('cancelled');
      const counts = cancelled.body.counts as Record<string, number>;
      expect(counts.pending).toBe(0);
      expect(counts.records).toBe(400);
    });

    it('POST /api/v1/ingest -> 202 {recordId}, the same id again for the same external id', async () => {
      const first = await call('POST', '/api/v1/ingest', { source: 'stream', record: person(7, 'stream') });
      expect(first.status).toBe(202);
      expect(Object.keys(first.body)).toEqual(['recordId']);
      const again = await call('POST', '/api/v1/ingest', { source: 'stream', record: person(7, 'stream') });
      expect(again.body).toEqual(first.body);
      const invalid = await call('POST', '/api/v1/ingest', { source: 'stream', record: { given_name: 'x' } });
      expect(invalid.status).toBe(400);
      expect(invalid.body).toMatchObject({
        error: { code: 'RECORD.INVALID', fields: [{ field: 'external_id', message: 'is required' }] },
      });
    });

    it('answers errors with a stable code, field by field, never a stack', async () => {
      const invalid = await call('POST', '/api/v1/records', { source: '', records: 'x' });
      expect(invalid.status).toBe(400);
      const error = invalid.body.error as { code: string; fields: Array<{ field: string }> };
      expect(error.code).toBe('REQUEST.INVALID');
      expect(error.fields.map((f) => f.field).sort()).toEqual(['records', 'source']);
      expect(JSON.stringify(invalid.body)).not.toMatch(/at .*\.ts|stack/);

      expect((await call('GET', `/api/v1/batches/${randomUUID()}`)).body).toMatchObject({
        error: { code: 'BATCH.NOT_FOUND' },
      });
      const badId = await call('GET', '/api/v1/batches/not-a-uuid');
      expect(badId.status).toBe(400);
      expect(badId.body).toMatchObject({ error: { fields: [{ field: 'id' }] } });
      expect((await call('POST', '/api/v1/records', '{"source": ', ingestToken)).status).toBe(400);
      expect(
        (await call('POST', '/api/v1/records', 'source=x', ingestToken, { 'content-type': 'text/plain' }))
          .status,
      ).toBe(415);
      expect((await call('GET', '/api/v1/nothing')).status).toBe(404);
      const wrongMethod = await call('PUT', '/api/v1/records', {});
      expect(wrongMethod.status).toBe(405);
      expect(wrongMethod.body).toMatchObject({ error: { code: 'REQUEST.METHOD_NOT_ALLOWED' } });
    });

    it('limits batch size and body size with a clear message', async () => {
      const tooMany = await call('POST', '/api/v1/records', {
        source: 'big',
        records: Array.from({ length: MAX_BATCH_RECORDS + 1 }, (_, i) => ({ external_id: String(i) })),
      });
      expect(tooMany.status).toBe(413);
      expect(tooMany.body).toMatchObject({ error: { code: 'BATCH.TOO_LARGE' } });
      expect((tooMany.body.error as { message: string }).message).toContain('10,000');
      const huge = await call('POST', '/api/v1/ingest', {
        source: 'big',
        record: { external_id: '1', given_name: 'x'.repeat(1_100_000) },
      });
      expect(huge.status).toBe(413);
      expect(huge.body).toMatchObject({ error: { code: 'REQUEST.TOO_LARGE' } });
    });

    it('refuses callers without a valid token, except sign-in, /health and /metrics', async () => {
      for (const [method, path] of [
        ['POST', '/api/v1/records'],
        ['POST', '/api/v1/ingest'],
        ['GET', `/api/v1/batches/${randomUUID()}`],
        ['DELETE', `/api/v1/batches/${randomUUID()}`],
        ['GET', '/api/openapi.json'],
      ] as const) {
        const res = await call(method, path, method === 'POST' ? {} : undefined, null);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
      }
      expect((await call('GET', '/health', undefined, null)).status).toBe(200);
      const metrics = await fetch(`${server.url}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      for (const name of [
        'nexus_records_decided_total',
        'nexus_decision_duration_seconds_bucket',
        'nexus_partition_lag',
        'nexus_relay_backlog',
        'nexus_dead_letters_open',
      ]) {
        expect(text).toContain(name);
      }
      expect(text).toMatch(/nexus_records_decided_total\{decision="new"\} [1-9]/);
    });

    it('refuses a role the route is not for', async () => {
      const res = await call('POST', '/api/v1/records', { source: 'x', records: [person(1)] }, reviewerToken);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'AUTH.FORBIDDEN' } });
    });

    it('describes itself as OpenAPI', async () => {
      const res = await call('GET', '/api/openapi.json');
      expect(res.status).toBe(200);
      expect(res.body.openapi).toBe('3.1.0');
      expect(Object.keys(res.body.paths as object)).toEqual(
        expect.arrayContaining([
          '/api/v1/auth/login',
          '/api/v1/records',
          '/api/v1/ingest',
          '/api/v1/batches/{id}',
          '/health',
          '/metrics',
        ]),
      );
    });

    it('documents every REST route in the OpenAPI document', async () => {
      const res = await call('GET', '/api/openapi.json');
      const paths = res.body.paths as Record<string, Record<string, unknown>>;
      const undocumented = REST_ROUTES.filter(
        (r) => paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method.toLowerCase()] === undefined,
      ).map((r) => `${r.method} ${r.path}`);
      expect(undocumented).toEqual([]);
    });
  });

  describe('malformed payloads get 4xx, never 5xx, and the server stays up', () => {
    const weird = fc.constantFrom('\u0000', 'x\uD800y', '\uDC00', 'a\u0000b', '\u202e', '🙂'.repeat(3));
    const fullUnicode = () => fc.oneof(fc.string({ unit: 'binary' }), weird);
    const field = fc.oneof(
      fc.constantFrom(...CANONICAL_FIELDS, 'attributes', 'x', '', ' external_id '),
      weird,
    );
    const value = fc.oneof(
      fc.string(),
      fullUnicode(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue(),
    );
    const recordish = fc.oneof(fc.dictionary(field, value, { maxKeys: 8 }), fc.jsonValue());
    const outcomes: number[] = [];
    const check = (status: number) => {
      outcomes.push(status);
      return status >= 200 && status < 500;
    };

    it('POST /api/v1/records', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({
              source: fc.oneof(fc.string(), fullUnicode(), fc.jsonValue()),
              records: fc.oneof(fc.array(recordish, { maxLength: 6 }), fc.jsonValue()),
            }),
            fc.jsonValue(),
          ),
          async (body) => check((await call('POST', '/api/v1/records', body)).status),
        ),
        { numRuns: 60 },
      );
    });

    it('POST /api/v1/ingest', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            fc.record({ source: fc.oneof(fc.string(), fullUnicode()), record: recordish }),
            fc.jsonValue(),
          ),
          async (body) => check((await call('POST', '/api/v1/ingest', body)).status),
        ),
        { numRuns: 60 },
      );
    });

    it('POST /api/v1/auth/login and /refresh', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/v1/auth/login', '/api/v1/auth/refresh'),
          fc.oneof(
            fc.record({ username: fullUnicode(), password: fc.string() }),
            fc.record({ refreshToken: fc.oneof(fc.string(), fc.constant(`nxr_${randomUUID()}.abc`)) }),
            fc.jsonValue(),
          ),
          async (path, body) => check((await call('POST', path, body, null)).status),
        ),
        { numRuns: 30 },
      );
    });

    it('GET and DELETE /api/v1/batches/:id, and raw bodies', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('GET', 'DELETE'),
          fc.oneof(fc.uuid(), fc.string(), fullUnicode()),
          async (method, id) =>
            check(
              (
                await call(
                  method,
                  `/api/v1/batches/${encodeURIComponent(id.replace(/[\uD800-\uDFFF]/g, '?'))}`,
                )
              ).status,
            ),
        ),
        { numRuns: 30 },
      );
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('/api/v1/records', '/api/v1/ingest', '/api/v1/auth/login'),
          fc.oneof(fc.string(), fullUnicode()),
          fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
          async (path, raw, type) =>
            check((await call('POST', path, raw, ingestToken, { 'content-type': type })).status),
        ),
        { numRuns: 20 },
      );
      expect(outcomes.length).toBeGreaterThanOrEqual(200);
      expect((await call('GET', '/health', undefined, null)).status).toBe(200);
    });
  });

  describe('throttling', () => {
    it('answers 429 with Retry-After past the per-client rate', async () => {
      const statuses = await Promise.all(
        Array.from({ length: 560 }, () =>
          call('GET', `/api/v1/batches/${randomUUID()}`, undefined, 'flood-token').then((r) => r),
        ),
      );
      const limited = statuses.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThan(0);
      expect(limited[0]!.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(limited[0]!.body).toMatchObject({ error: { code: 'REQUEST.RATE_LIMITED' } });
    });

    it('throttles sign-in attempts from one address', async () => {
      const attempts = (
        await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            call('POST', '/api/v1/auth/login', { username: 'admin', password: `wrong-${i}` }, null),
          ),
        )
      ).map((r) => r.status);
      expect(attempts).toContain(429);
      expect(attempts.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    });
  });
});
