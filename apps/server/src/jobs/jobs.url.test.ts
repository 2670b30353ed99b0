import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { jobsApi, type JobRunJson } from './testJobsApi';
import type { JobView } from './jobStore';
import type { SourceView } from './sourceStore';
import { peopleCsv, resetAfter, startFileServer, trickle, type TestFileServer } from './testSources';

const dataDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-url-'));

/** Jobs from URLs against a real HTTP server of the test (faults injected mid-body). */
describe('jobs from a URL', () => {
  const suite = useTestServer({
    NEXUS_SOURCE_URL_HOSTS: '127.0.0.1',
    NEXUS_DATA_DIR: dataDir,
    NEXUS_JOB_BATCH_ROWS: '50',
    NEXUS_JOB_RETRY_BASE_MS: '50',
    NEXUS_JOB_MAX_ATTEMPTS: '4',
  });
  const servers: TestFileServer[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  const { call, text, start, until } = jobsApi(() => suite.server);

  const serve = async (answer: Parameters<typeof startFileServer>[0]) => {
    const s = await startFileServer(answer);
    servers.push(s);
    return s;
  };

  it('resumes after a connection reset mid-body, storing every row once', async () => {
    const body = peopleCsv(300);
    const files = await serve((_req, res, n) =>
      n === 1
        ? resetAfter(res, body, Math.floor(body.length * 0.6))
        : res.writeHead(200, { 'content-type': 'text/csv' }).end(body),
    );
    const created = await call<{ jobId: string; status: string }>('POST', '/api/v1/jobs', {
      name: 'reset-once',
      source: {
        kind: 'url',
        url: `${files.url}/people.csv`,
        map: { rec_id: 'external_id' },
        recordSource: 'reset-once',
      },
    });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ status: 'queued' });
    const job = await until(created.body.jobId);
    expect(job.status).toBe('completed');
    expect(job.counts).toMatchObject({ read: 300, accepted: 300, rejected: 0, pending: 0 });
    expect(job.counts.new + job.counts.linked + job.counts.review).toBe(300);
    const stored = await suite.tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'reset-once')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(300);
    const runs = (await call<{ items: JobRunJson[] }>('GET', `/api/v1/jobs/${job.id}/runs`)).body.items;
    expect(runs.map((r) => r.outcome)).toEqual(['retry', 'fetched']);
    // Resumed, not restarted: the second attempt started after the rows the first one stored.
    expect(runs[1]!.fromRow).toBeGreaterThan(0);
    expect(files.requests).toHaveLength(2);
    const csv = await text(`/api/v1/jobs/${job.id}/results.csv`);
    expect(csv.trim().split('\n')).toHaveLength(301);
  });

  it('gives up after the attempts allowed when the server keeps failing with 5xx', async () => {
    const files = await serve((_req, res) => res.writeHead(503).end('busy'));
    const job = await until(await start({ source: { kind: 'url', url: `${files.url}/x.csv`, map: {} } }));
    expect(job).toMatchObject({ status: 'failed', errorCode: 'FETCH.HTTP_STATUS', attempts: 4 });
    expect(job.error).toMatch(/503.*gave up after 4 attempts/);
    expect(files.requests).toHaveLength(4);
  });

  it('sends the saved bearer token, never shows it, and fails at once on 401', async () => {
    const body = peopleCsv(20, 1000);
    const files = await serve((req, res) =>
      req.headers.authorization === 'Bearer right-token'
        ? res.writeHead(200, { 'content-type': 'text/csv' }).end(body)
        : res.writeHead(401).end('no'),
    );
    const saved = await call<SourceView>('POST', '/api/v1/sources', {
      name: 'crm-export',
      source: {
        kind: 'url',
        url: `${files.url}/people.csv`,
        bearerToken: 'right-token',
        map: { rec_id: 'external_id' },
      },
    });
    expect(saved.status).toBe(201);
    expect(saved.body.secrets).toEqual(['bearerToken']);
    expect(JSON.stringify(saved.body)).not.toContain('right-token');
    const row = await suite.tdb.db
      .selectFrom('sources')
      .select(['secrets', 'settings'])
      .where('id', '=', saved.body.id)
      .executeTakeFirstOrThrow();
    expect(row.secrets).toMatch(/^sealed:v1:/);
    expect(JSON.stringify(row)).not.toContain('right-token');
    const listed = await call('GET', '/api/v1/sources');
    expect(JSON.stringify(listed.body)).not.toContain('right-token');

    const good = await until(await start({ sourceId: saved.body.id }));
    expect(good).toMatchObject({ status: 'completed', counts: { read: 20, accepted: 20 } });
    expect(files.requests.at(-1)!.authorization).toBe('Bearer right-token');

    // A secret left out of an update keeps its saved value; a new one replaces it.
    await call('PUT', `/api/v1/sources/${saved.body.id}`, {
      source: {
        kind: 'url',
        url: `${files.url}/people.csv`,
        bearerToken: 'wrong-token',
        map: { rec_id: 'external_id' },
      },
    });
    const bad = await until(await start({ sourceId: saved.body.id }));
    expect(bad).toMatchObject({ status: 'failed', errorCode: 'FETCH.UNAUTHORIZED', attempts: 1 });
    expect(bad.error).toMatch(/401/);
  });

  it('fails with the reason when the URL answers a web page, or a host that is not allowed', async () => {
    const files = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>sign in</html>'),
    );
    const html = await until(
      await start({ source: { kind: 'url', url: `${files.url}/export.csv`, map: {} } }),
    );
    expect(html).toMatchObject({ status: 'failed', errorCode: 'FETCH.NOT_RECORDS', attempts: 1 });
    const sneaky = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/plain' }).end('<!doctype html><p>login</p>\n'),
    );
    const html2 = await until(await start({ source: { kind: 'url', url: `${sneaky.url}/export`, map: {} } }));
    expect(html2).toMatchObject({ status: 'failed', errorCode: 'FILE.UNREADABLE' });
    expect(html2.error).toMatch(/HTML/);
    const port = new URL(files.url).port;
    const refused = await until(
      await start({ source: { kind: 'url', url: `http://localhost:${port}/x.csv`, map: {} } }),
    );
    expect(refused).toMatchObject({ status: 'failed', errorCode: 'FETCH.REFUSED' });
    const before = files.requests.length;
    expect(before).toBe(1);
  });

  it('keeps the good rows of a CSV with a broken quote, and reports the bad row by line', async () => {
    const lines = peopleCsv(80).trimEnd().split('\n');
    lines[40] = 'p40,"Broken,Family40,1970-01-01';
    const body = `${lines.join('\n')}\n`;
    const files = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(body));
    const job = await until(
      await start({ source: { kind: 'url', url: `${files.url}/p.csv`, map: { rec_id: 'external_id' } } }),
    );
    expect(job).toMatchObject({ status: 'completed', counts: { read: 80, accepted: 79, rejected: 1 } });
    const rejections = (
      await call<{ items: Array<{ line: number; errors: unknown[] }> }>(
        'GET',
        `/api/v1/jobs/${job.id}/rejections`,
      )
    ).body.items;
    expect(rejections).toHaveLength(1);
    expect(rejections[0]!.line).toBe(41);
    expect(JSON.stringify(rejections[0]!.errors)).toMatch(/quote/);
  });

  it('fails with the reason when no column maps to external_id', async () => {
    const files = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/csv' }).end(peopleCsv(5)),
    );
    const job = await until(await start({ source: { kind: 'url', url: `${files.url}/p.csv`, map: {} } }));
    expect(job).toMatchObject({
      status: 'failed',
      errorCode: 'FILE.NO_EXTERNAL_ID_COLUMN',
      counts: { read: 0 },
    });
    expect(job.error).toMatch(/rec_id=external_id/);
  });

  it('cancels a job mid-fetch: fetching stops, nothing is stored after, decided records stay', async () => {
    const body = peopleCsv(2000, 5000);
    const files = await serve((_req, res) => trickle(res, body, 2000, 100));
    const jobId = await start({
      source: {
        kind: 'url',
        url: `${files.url}/slow.csv`,
        map: { rec_id: 'external_id' },
        recordSource: 'slow',
      },
    });
    for (let i = 0; i < 200; i++) {
      const job = (await call<JobView>('GET', `/api/v1/jobs/${jobId}`)).body;
      if (job.counts.read > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await call<JobView>('DELETE', `/api/v1/jobs/${jobId}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    await new Promise((r) => setTimeout(r, 1500));
    const after = (await call<JobView>('GET', `/api/v1/jobs/${jobId}`)).body;
    expect(after.status).toBe('cancelled');
    expect(after.counts.read).toBeLessThan(2000);
    expect(after.counts.pending).toBe(0);
    const stored = await suite.tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'slow')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(after.counts.accepted);
    expect((await call('DELETE', `/api/v1/jobs/${jobId}`)).body).toMatchObject({
      error: { code: 'JOB.NOT_CANCELLABLE' },
    });
  });

  it('answers bad requests with 4xx and a stable code', async () => {
    expect((await call('POST', '/api/v1/jobs', { source: { kind: 'ftp', url: 'x' } })).status).toBe(400);
    expect(
      (await call('POST', '/api/v1/jobs', { source: { kind: 'url', url: 'file:///etc/passwd', map: {} } }))
        .body,
    ).toMatchObject({ error: { code: 'JOB_SOURCE.INVALID' } });
    expect(
      (
        await call('POST', '/api/v1/jobs', {
          source: { kind: 'url', url: 'http://127.0.0.1/x', map: { a: 'not_a_field' } },
        })
      ).body,
    ).toMatchObject({ error: { code: 'JOB_SOURCE.INVALID' } });
    expect(
      (await call('POST', '/api/v1/jobs', { sourceId: '00000000-0000-4000-8000-000000000000' })).status,
    ).toBe(404);
    expect((await call('GET', '/api/v1/jobs/not-a-uuid')).status).toBe(400);
    expect(
      (
        await call('POST', '/api/v1/sources', {
          name: 'cron-bad',
          schedule: 'every tuesday',
          source: { kind: 'url', url: 'http://127.0.0.1/x', map: {} },
        })
      ).body,
    ).toMatchObject({ error: { code: 'JOB_SOURCE.INVALID' } });
    const dup = { name: 'twice', source: { kind: 'url', url: 'http://127.0.0.1/x', map: {} } };
    expect((await call('POST', '/api/v1/sources', dup)).status).toBe(201);
    expect((await call('POST', '/api/v1/sources', dup)).body).toMatchObject({
      error: { code: 'JOB_SOURCE.EXISTS' },
    });
    expect((await call('GET', '/api/v1/jobs?status=sleeping')).status).toBe(400);
  });

  it('is for operators and admins: reviewers and ingest clients are refused', async () => {
    for (const role of ['reviewer', 'ingest'] as const) {
      const res = await fetch(`${suite.server.url}/api/v1/jobs`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await suite.server.tokenFor(role)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ source: { kind: 'url', url: 'http://127.0.0.1/x', map: {} } }),
      });
      expect(res.status, role).toBe(403);
    }
    const admin = await fetch(`${suite.server.url}/api/v1/sources`, {
      headers: { authorization: `Bearer ${await suite.server.tokenFor('admin')}` },
    });
    expect(admin.status).toBe(200);
  });
});
