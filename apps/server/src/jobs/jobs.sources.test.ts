import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { jobsApi, type JobRunJson } from './testJobsApi';
import { peopleCsv } from './testSources';

const dataDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-data-'));
const importDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-import-'));

/** File, upload and Postgres sources against the real file system and the machine's Postgres. */
describe('jobs from files, uploads and Postgres', () => {
  const suite = useTestServer({
    NEXUS_IMPORT_DIRS: importDir,
    NEXUS_DATA_DIR: dataDir,
    NEXUS_JOB_BATCH_ROWS: '50',
    NEXUS_JOB_RETRY_BASE_MS: '50',
  });
  const { call, start, until } = jobsApi(() => suite.server);

  it('reads a file inside NEXUS_IMPORT_DIRS, and refuses paths outside it, symlinks out and devices', async () => {
    await writeFile(path.join(importDir, 'people.csv'), peopleCsv(60, 100));
    const ok = await until(
      await start({
        source: {
          kind: 'file',
          path: path.join(importDir, 'people.csv'),
          map: { rec_id: 'external_id' },
          recordSource: 'file-src',
        },
      }),
    );
    expect(ok).toMatchObject({ status: 'completed', counts: { read: 60, accepted: 60 } });

    await symlink('/etc/passwd', path.join(importDir, 'escape.csv'));
    await mkdir(path.join(importDir, 'folder.csv'));
    for (const p of [
      '/etc/passwd',
      path.join(importDir, 'escape.csv'),
      path.join(importDir, '..', 'x.csv'),
      path.join(importDir, 'folder.csv'),
      '/dev/zero',
    ]) {
      const job = await until(await start({ source: { kind: 'file', path: p, map: {} } }));
      expect(job.status, p).toBe('failed');
      expect(['FETCH.REFUSED', 'FETCH.NOT_FOUND'], p).toContain(job.errorCode);
      expect(job.attempts, p).toBe(1);
    }
    expect(
      (await call('POST', '/api/v1/jobs', { source: { kind: 'file', path: 'relative.csv', map: {} } }))
        .status,
    ).toBe(400);
  });

  it('takes an uploaded file and runs it as a job; an empty upload is refused', async () => {
    const token = await suite.server.tokenFor('operator');
    const res = await fetch(`${suite.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
      body: peopleCsv(30, 700),
    });
    expect(res.status).toBe(201);
    const { uploadId, bytes } = (await res.json()) as { uploadId: string; bytes: number };
    expect(bytes).toBe(Buffer.byteLength(peopleCsv(30, 700)));
    const job = await until(
      await start({ source: { kind: 'upload', uploadId, map: { rec_id: 'external_id' } } }),
    );
    expect(job).toMatchObject({ status: 'completed', counts: { read: 30, accepted: 30 } });
    const empty = await fetch(`${suite.server.url}/api/v1/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: '',
    });
    expect(empty.status).toBe(400);
    const missing = await until(
      await start({ source: { kind: 'upload', uploadId: '00000000-0000-4000-8000-000000000001', map: {} } }),
    );
    expect(missing).toMatchObject({ status: 'failed', errorCode: 'FETCH.NOT_FOUND' });
  });

  it('reads a query through a cursor and resumes after its connection is terminated mid-fetch', async () => {
    const db = suite.tdb.url;
    const admin = new pg.Client({ connectionString: db });
    await admin.connect();
    try {
      // Slow rows (a sleep per row), so the connection can be cut while the job reads.
      const query =
        "select 'pg' || i as rec_id, 'Given' || i as given_name, 'Family' || i as family_name, pg_sleep(0.008) as pause from generate_series(1, 300) as i order by i";
      const jobId = await start({
        name: 'from postgres',
        source: {
          kind: 'postgres',
          connectionString: db,
          query,
          map: { rec_id: 'external_id', pause: '-' },
          recordSource: 'pg-src',
        },
      });
      for (let i = 0; i < 300; i++) {
        const job = (await call<{ resumeRows: number; status: string }>('GET', `/api/v1/jobs/${jobId}`)).body;
        if (job.resumeRows >= 100) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const killed = await admin.query(
        "select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = 'nexus-job'",
      );
      expect(killed.rowCount).toBeGreaterThan(0);
      const job = await until(jobId);
      expect(job).toMatchObject({ status: 'completed', counts: { read: 300, accepted: 300, rejected: 0 } });
      const runs = (await call<{ items: JobRunJson[] }>('GET', `/api/v1/jobs/${jobId}/runs`)).body.items;
      expect(runs.map((r) => r.outcome)).toEqual(['retry', 'fetched']);
      expect(runs[0]!.error).toMatch(/connection|terminat/i);
      expect(runs[1]!.fromRow).toBeGreaterThanOrEqual(100);
      const stored = await admin.query<{ n: string }>(
        "select count(*) as n from records where source = 'pg-src'",
      );
      expect(Number(stored.rows[0]!.n)).toBe(300);
    } finally {
      await admin.end();
    }
  }, 240_000);

  it('fails at once with the reason for a bad query, wrong credentials or no rows, and keeps the secret', async () => {
    const db = suite.tdb.url;
    const bad = await until(
      await start({
        source: { kind: 'postgres', connectionString: db, query: 'select * from no_such_table', map: {} },
      }),
    );
    expect(bad).toMatchObject({ status: 'failed', errorCode: 'FETCH.BAD_QUERY', attempts: 1 });
    expect(bad.error).toMatch(/no_such_table/);
    const none = await until(
      await start({
        source: {
          kind: 'postgres',
          connectionString: db,
          query: 'select 1 as external_id where false',
          map: {},
        },
      }),
    );
    expect(none).toMatchObject({ status: 'failed', errorCode: 'FILE.EMPTY' });
    const unmapped = await until(
      await start({
        source: { kind: 'postgres', connectionString: db, query: "select 'x' as who", map: {} },
      }),
    );
    expect(unmapped).toMatchObject({ status: 'failed', errorCode: 'FILE.NO_EXTERNAL_ID_COLUMN' });
    const writes = await until(
      await start({
        source: {
          kind: 'postgres',
          connectionString: db,
          query: "insert into sources (name) values ('x') returning name as external_id",
          map: {},
        },
      }),
    );
    expect(writes).toMatchObject({ status: 'failed', errorCode: 'FETCH.BAD_QUERY' });
    expect(writes.error).toMatch(/read-only/);

    const u = new URL(db);
    u.username = 'no_such_role';
    u.password = 'hunter2-secret';
    const saved = await call<{ id: string; settings: Record<string, unknown>; secrets: string[] }>(
      'POST',
      '/api/v1/sources',
      {
        name: 'wrong-credentials',
        source: { kind: 'postgres', connectionString: u.href, query: 'select 1', map: {} },
      },
    );
    expect(saved.body.secrets).toEqual(['connectionString']);
    expect(JSON.stringify(saved.body)).not.toContain('hunter2-secret');
    const denied = await until(await start({ sourceId: saved.body.id }));
    expect(denied).toMatchObject({ status: 'failed', errorCode: 'FETCH.UNAUTHORIZED', attempts: 1 });
    expect(JSON.stringify(denied)).not.toContain('hunter2-secret');
  });
});
