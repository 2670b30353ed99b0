import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import type { Notification, Notifier } from '../notifications/notifier';
import { JobService, type JobServiceConfig } from './jobService';
import { jobsApi, type JobRunJson } from './testJobsApi';
import { peopleCsv, startFileServer, trickle } from './testSources';

const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };

describe('a job survives a server restart: it resumes, not restarts', () => {
  let tdb: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.close().catch(() => undefined);
    await tdb?.drop();
  });

  it('stores every row once across the restart', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-restart-'));
    const env = {
      NEXUS_SOURCE_URL_HOSTS: '127.0.0.1',
      NEXUS_DATA_DIR: dataDir,
      NEXUS_JOB_BATCH_ROWS: '50',
      NEXUS_JOB_LEASE_SECONDS: '2',
      NEXUS_SECRET_KEY: 'a-secret-key-for-the-restart-test-0123456789',
    };
    const body = peopleCsv(400, 90_000);
    const files = await startFileServer((_req, res) => trickle(res, body, 1500, 80));
    try {
      server = await startTestServer(tdb, env);
      const api = jobsApi(() => server, 'admin');
      const jobId = await api.start({
        source: {
          kind: 'url',
          url: `${files.url}/p.csv`,
          bearerToken: 'tok',
          map: { rec_id: 'external_id' },
          recordSource: 'restart',
        },
      });
      for (let i = 0; i < 300; i++) {
        const job = (await api.call<{ resumeRows: number }>('GET', `/api/v1/jobs/${jobId}`)).body;
        if (job.resumeRows >= 100) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await server.close();
      const between = await tdb.db
        .selectFrom('jobs')
        .select(['status', 'resume_rows'])
        .where('id', '=', jobId)
        .executeTakeFirstOrThrow();
      expect(between.status).toBe('fetching');
      expect(Number(between.resume_rows)).toBeGreaterThanOrEqual(100);

      server = await startTestServer(tdb, env);
      const job = await api.until(jobId);
      expect(job).toMatchObject({ status: 'completed', counts: { read: 400, accepted: 400 } });
      const runs = (await api.call<{ items: JobRunJson[] }>('GET', `/api/v1/jobs/${jobId}/runs`)).body.items;
      expect(runs.map((r) => r.outcome)).toEqual(['interrupted', 'fetched']);
      expect(runs[1]!.fromRow).toBe(Number(between.resume_rows));
      const stored = await tdb.db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('source', '=', 'restart')
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(400);
      // The bearer token was sealed for the job and opened again by the next server.
      expect(files.requests.every((r) => r.authorization === 'Bearer tok')).toBe(true);
    } finally {
      await files.close();
    }
  }, 240_000);
});

describe('schedules and notifications', () => {
  let tdb: TestDatabase;
  let importDir: string;
  const heard: Notification[] = [];
  const recording: Notifier = { notify: (n) => Promise.resolve(void heard.push(n)) };
  let config: JobServiceConfig;
  const key = randomBytes(32);
  beforeAll(async () => {
    tdb = await createTestDatabase();
    importDir = await mkdtemp(path.join(tmpdir(), 'nexus-jobs-sched-'));
    config = {
      NEXUS_SOURCE_URL_HOSTS: [],
      NEXUS_IMPORT_DIRS: [importDir],
      NEXUS_DATA_DIR: importDir,
      NEXUS_JOB_CONCURRENCY: 1,
      NEXUS_JOB_BATCH_ROWS: 100,
      NEXUS_JOB_MAX_ATTEMPTS: 3,
      NEXUS_JOB_RETRY_BASE_MS: 10,
      NEXUS_JOB_LEASE_SECONDS: 5,
      NEXUS_JOB_FETCH_TIMEOUT_MS: 5000,
    };
  });
  afterAll(() => tdb?.drop());

  const service = () =>
    new JobService({
      db: tdb.db,
      partitions: 4,
      key,
      config,
      logger: quiet,
      notifier: recording,
    });

  it('starts one run of a due source, even when two engines look at once', async () => {
    const a = service();
    const b = service();
    await writeFile(path.join(importDir, 'bad.csv'), 'rec_id,given_name\n,nobody\n');
    const source = await a.sources.create(
      {
        name: 'nightly',
        schedule: '0 2 * * *',
        source: { kind: 'file', path: path.join(importDir, 'bad.csv'), map: { rec_id: 'external_id' } },
      },
      'tester',
    );
    expect(new Date(source.nextRunAt!).getUTCHours()).toBe(2);
    const due = new Date(Date.parse(source.nextRunAt!) + 1000);
    const [fromA, fromB] = await Promise.all([a.runSchedules(due), b.runSchedules(due)]);
    expect([...fromA, ...fromB]).toHaveLength(1);
    // Neither service started its runner: the job waits for one that was (a nudge ran it anyway).
    await new Promise((r) => setTimeout(r, 300));
    const jobs = await a.jobs.list({ source: source.id, limit: 10 });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ trigger: 'schedule', status: 'queued' });
    // Its next time moved on a day; not due again at the same instant.
    expect(await a.runSchedules(due)).toEqual([]);
    expect((await a.sources.get(source.id)).nextRunAt).toBe(
      new Date(Date.parse(source.nextRunAt!) + 86_400_000).toISOString(),
    );
    // While it is still queued, a run by hand is refused: one run of a source at a time.
    await expect(
      a.createJob({ sourceId: source.id }, { username: 'op', userId: null }),
    ).rejects.toMatchObject({ code: 'JOB.SOURCE_BUSY' });
  });

  it('tells the notifier when a job completes, fails or is cancelled, with its summary and no secret', async () => {
    const s = service();
    s.runner.start(50);
    try {
      heard.length = 0;
      await writeFile(path.join(importDir, 'all-bad.csv'), 'rec_id,given_name\n,a\n,b\n');
      const done = await s.createJob(
        {
          source: { kind: 'file', path: path.join(importDir, 'all-bad.csv'), map: { rec_id: 'external_id' } },
          name: 'all bad',
        },
        { username: 'op', userId: null },
      );
      const failed = await s.createJob(
        {
          source: {
            kind: 'postgres',
            connectionString: 'postgres://u:pg-secret-pw@127.0.0.1:5432/x',
            query: 'select 1',
            map: {},
          },
        },
        { username: 'op', userId: null },
      );
      for (
        let i = 0;
        i < 200 && !(heard.some((n) => n.key === done.id) && heard.some((n) => n.key === failed.id));
        i++
      )
        await new Promise((r) => setTimeout(r, 50));
      const completed = heard.find((n) => n.key === done.id);
      expect(completed).toMatchObject({
        key: done.id,
        data: { id: done.id, status: 'completed', counts: { read: 2, rejected: 2, accepted: 0 } },
      });
      const fail = heard.find((n) => n.key === failed.id);
      expect(fail).toMatchObject({
        key: failed.id,
        data: { status: 'failed', errorCode: 'FETCH.UNAUTHORIZED' },
      });
      expect(JSON.stringify(heard)).not.toContain('pg-secret-pw');

      const slow = await startFileServer((_req, res) => trickle(res, peopleCsv(100), 10, 200));
      try {
        config.NEXUS_SOURCE_URL_HOSTS = ['127.0.0.1'];
        const t = service();
        const queued = await t.createJob(
          { source: { kind: 'url', url: `${slow.url}/x.csv`, map: { rec_id: 'external_id' } } },
          { username: 'op', userId: null },
        );
        await t.cancelJob(queued.id, 'op');
        expect(heard.at(-1)).toMatchObject({
          type: 'job.cancelled',
          key: queued.id,
          data: { status: 'cancelled' },
        });
      } finally {
        await slow.close();
      }
    } finally {
      await s.stop();
    }
  });
});
