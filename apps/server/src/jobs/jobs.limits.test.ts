import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { MAX_STORED_REJECTIONS } from './jobRunner';
import { uploadDirOf } from './jobService';
import { jobsApi } from './testJobsApi';
import { peopleCsv, startFileServer, type TestFileServer } from './testSources';

const dataDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-limits-'));
const importDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-limits-import-'));
const UPLOAD_MAX = 2_000;

interface Preview {
  ok: boolean;
  columns?: string[];
  mapped?: string[];
  unmapped?: string[];
  rows?: Array<{ line: number; ok: boolean; record?: { external_id: string }; errors?: unknown[] }>;
  more?: boolean;
  error?: { code: string; message: string; retryable: boolean };
}

/**
 * Test the connection (url, file, Postgres; S3 in jobs.s3.test.ts), the upload size limit and
 * the cap on stored rejections, against a real server, HTTP server and the machine's Postgres.
 */
describe('jobs: test the connection, and limits', () => {
  const suite = useTestServer({
    NEXUS_SOURCE_URL_HOSTS: '127.0.0.1',
    NEXUS_IMPORT_DIRS: importDir,
    NEXUS_DATA_DIR: dataDir,
    NEXUS_UPLOAD_MAX_BYTES: String(UPLOAD_MAX),
    NEXUS_JOB_BATCH_ROWS: '3000',
    NEXUS_JOB_FETCH_TIMEOUT_MS: '5000',
  });
  const { call, start, until } = jobsApi(() => suite.server);
  const servers: TestFileServer[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));

  const count = async (table: 'records' | 'jobs') =>
    Number(
      (
        await suite.tdb.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const test = async (body: unknown) => {
    const res = await call<Preview>('POST', '/api/v1/sources/test', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('tests a URL source: columns, mapped and not, first rows; refusals and failures with their reason; nothing stored', async () => {
    const csv = peopleCsv(20)
      .replace(/^rec_id,/, 'rec_id,branch,')
      .replace(/\n(p\d+),/g, '\n$1,north,');
    const files = await startFileServer((req, res) => {
      if (req.url === '/page') return res.writeHead(200, { 'content-type': 'text/html' }).end('<html>');
      if (req.url === '/secret.csv' && req.headers.authorization !== 'Bearer tok-s3cret')
        return res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
    });
    servers.push(files);
    const map = { rec_id: 'external_id' };
    const ok = await test({ source: { kind: 'url', url: `${files.url}/people.csv`, map }, rows: 3 });
    expect(ok).toMatchObject({
      ok: true,
      columns: ['external_id', 'branch', 'given_name', 'family_name', 'date_of_birth'],
      mapped: ['external_id', 'given_name', 'family_name', 'date_of_birth'],
      unmapped: ['branch'],
      more: true,
    });
    expect(ok.rows!.map((r) => [r.line, r.record?.external_id])).toEqual([
      [2, 'p1'],
      [3, 'p2'],
      [4, 'p3'],
    ]);
    const all = await test({ source: { kind: 'url', url: `${files.url}/people.csv`, map }, rows: 50 });
    expect(all).toMatchObject({ ok: true, more: false });
    expect(all.rows).toHaveLength(20);

    const page = await test({ source: { kind: 'url', url: `${files.url}/page`, map } });
    expect(page).toMatchObject({ ok: false, error: { code: 'FETCH.NOT_RECORDS', retryable: false } });
    const unlisted = await test({ source: { kind: 'url', url: 'http://localhost:9/x.csv', map } });
    expect(unlisted).toMatchObject({ ok: false, error: { code: 'FETCH.REFUSED' } });
    expect(unlisted.error!.message).toMatch(/NEXUS_SOURCE_URL_HOSTS/);
    const noId = await test({ source: { kind: 'url', url: `${files.url}/people.csv`, map: {} } });
    expect(noId).toMatchObject({ ok: false, error: { code: 'FILE.NO_EXTERNAL_ID_COLUMN' } });
    expect(noId.error!.message).toMatch(/rec_id=external_id/);

    // A saved source is tested with its sealed token, which the answer never shows; changed
    // settings without the token keep the saved one.
    const saved = await call<{ id: string }>('POST', '/api/v1/sources', {
      name: 'with a token',
      source: { kind: 'url', url: `${files.url}/secret.csv`, bearerToken: 'tok-s3cret', map },
    });
    expect(saved.status).toBe(201);
    const byId = await call<Preview>('POST', `/api/v1/sources/${saved.body.id}/test?rows=2`);
    expect(byId.body).toMatchObject({ ok: true });
    expect(byId.body.rows).toHaveLength(2);
    expect(JSON.stringify(byId.body)).not.toContain('tok-s3cret');
    const edited = await test({
      sourceId: saved.body.id,
      source: { kind: 'url', url: `${files.url}/secret.csv`, map: { rec_id: 'external_id', branch: '-' } },
    });
    expect(edited).toMatchObject({ ok: true, unmapped: [] });
    const wrong = await test({
      source: { kind: 'url', url: `${files.url}/secret.csv`, bearerToken: 'wrong', map },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'FETCH.UNAUTHORIZED' } });

    expect((await call('POST', '/api/v1/sources/test', { rows: 3 })).status).toBe(400);
    expect(
      (await call('POST', '/api/v1/sources/test', { source: { kind: 'url', url: 'ftp://x', map } })).status,
    ).toBe(400);
    expect(await count('records')).toBe(0);
    expect(await count('jobs')).toBe(0);
  });

  it('tests a file source inside NEXUS_IMPORT_DIRS and refuses one outside', async () => {
    await writeFile(path.join(importDir, 'people.csv'), peopleCsv(4, 10));
    const ok = await test({
      source: { kind: 'file', path: path.join(importDir, 'people.csv'), map: { rec_id: 'external_id' } },
    });
    expect(ok).toMatchObject({ ok: true, more: false });
    expect(ok.rows!.map((r) => r.record?.external_id)).toEqual(['p10', 'p11', 'p12', 'p13']);
    const outside = await test({ source: { kind: 'file', path: '/etc/passwd', map: {} } });
    expect(outside).toMatchObject({ ok: false, error: { code: 'FETCH.REFUSED' } });
  });

  it('tests a Postgres query: its columns and rows, a bad query and wrong credentials with their reason', async () => {
    const db = suite.tdb.url;
    const ok = await test({
      source: {
        kind: 'postgres',
        connectionString: db,
        query: "select 'pg' || i as rec_id, 'Ann' as given_name, i as score from generate_series(1, 10) as i",
        map: { rec_id: 'external_id' },
      },
      rows: 4,
    });
    expect(ok).toMatchObject({
      ok: true,
      columns: ['external_id', 'given_name', 'score'],
      unmapped: ['score'],
      more: true,
    });
    expect(ok.rows!.map((r) => r.record?.external_id)).toEqual(['pg1', 'pg2', 'pg3', 'pg4']);
    const bad = await test({
      source: { kind: 'postgres', connectionString: db, query: 'select * from no_such_table', map: {} },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'FETCH.BAD_QUERY', retryable: false } });
    expect(bad.error!.message).toMatch(/no_such_table/);
    const u = new URL(db);
    u.username = 'no_such_role';
    u.password = 'hunter2-secret';
    const denied = await test({
      source: { kind: 'postgres', connectionString: u.href, query: 'select 1 as external_id', map: {} },
    });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FETCH.UNAUTHORIZED' } });
    expect(JSON.stringify(denied)).not.toContain('hunter2-secret');
  });

  it('refuses an upload over NEXUS_UPLOAD_MAX_BYTES with a 413, declared or streamed, and keeps nothing', async () => {
    const token = await suite.server.tokenFor('operator');
    const big = peopleCsv(200);
    expect(Buffer.byteLength(big)).toBeGreaterThan(UPLOAD_MAX);
    const declared = await fetch(`${suite.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: big,
    });
    expect(declared.status).toBe(413);
    const refused = (await declared.json()) as { error: { code: string; message: string } };
    expect(refused.error.code).toBe('REQUEST.TOO_LARGE');
    expect(refused.error.message).toMatch(/2,000 bytes/);
    // No Content-Length: the limit is found while the body streams in.
    const chunks = [big.slice(0, 1500), big.slice(1500)];
    const streamed = await fetch(`${suite.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    });
    expect(streamed.status).toBe(413);
    expect(await streamed.json()).toMatchObject({ error: { code: 'REQUEST.TOO_LARGE' } });
    expect(await readdir(uploadDirOf(dataDir)).catch(() => [])).toEqual([]);
    const small = await fetch(`${suite.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: peopleCsv(5),
    });
    expect(small.status).toBe(201);
    expect(await readdir(uploadDirOf(dataDir))).toHaveLength(1);
  });

  it(`keeps the first ${MAX_STORED_REJECTIONS.toLocaleString('en')} rejections with their lines and counts the rest`, async () => {
    const bad = MAX_STORED_REJECTIONS + 150;
    const lines = ['rec_id,given_name,family_name,date_of_birth'];
    for (let i = 1; i <= bad; i++) lines.push(`bad${i},only two`);
    for (let i = 1; i <= 20; i++) lines.push(`good${i},Ann,Lee${i},1980-01-0${1 + (i % 9)}`);
    const body = `${lines.join('\n')}\n`;
    const files = await startFileServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/csv' }).end(body),
    );
    servers.push(files);
    const job = await until(
      await start({
        source: { kind: 'url', url: `${files.url}/bad.csv`, map: { rec_id: 'external_id' } },
      }),
      ['deciding', 'completed', 'failed'],
    );
    expect(job).toMatchObject({ counts: { read: bad + 20, accepted: 20, rejected: bad } });
    const stored = await suite.tdb.db
      .selectFrom('job_rejections')
      .select((eb) => [
        eb.fn.countAll<string>().as('n'),
        eb.fn.min<string>('line').as('first'),
        eb.fn.max<string>('line').as('last'),
      ])
      .where('job_id', '=', job.id)
      .executeTakeFirstOrThrow();
    // Line 1 is the header: the first bad row is line 2.
    expect({ n: Number(stored.n), first: Number(stored.first), last: Number(stored.last) }).toEqual({
      n: MAX_STORED_REJECTIONS,
      first: 2,
      last: MAX_STORED_REJECTIONS + 1,
    });
    const page = await call<{ items: Array<{ line: number; errors: Array<{ message: string }> }> }>(
      'GET',
      `/api/v1/jobs/${job.id}/rejections?afterLine=${MAX_STORED_REJECTIONS - 1}&limit=10`,
    );
    expect(page.body.items.map((r) => r.line)).toEqual([MAX_STORED_REJECTIONS, MAX_STORED_REJECTIONS + 1]);
    expect(page.body.items[0]!.errors[0]!.message).toMatch(/2 fields where the header has 4 columns/);
  }, 120_000);
});
