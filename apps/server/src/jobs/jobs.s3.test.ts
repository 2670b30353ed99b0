import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { JobService } from './jobService';
import { peopleCsv } from './testSources';

const quiet = { warn: () => undefined, error: () => undefined, info: () => undefined };

/**
 * S3 sources against a real S3-compatible server run by the test (s3rver: the S3 REST API over
 * HTTP with signature checks, in-process), through the AWS SDK v3 client.
 */
describe('jobs from an S3-compatible store', () => {
  let tdb: TestDatabase;
  let s3rver: S3rver;
  let endpoint: string;
  let jobs: JobService;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    s3rver = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: await mkdtemp(path.join(tmpdir(), 'nexus-s3-')),
      configureBuckets: [{ name: 'registers' }],
    });
    const { port } = await s3rver.run();
    endpoint = `http://127.0.0.1:${port}`;
    const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials });
    await client.send(
      new PutObjectCommand({
        Bucket: 'registers',
        Key: 'one/people.csv',
        Body: peopleCsv(40, 1),
        ContentType: 'text/csv',
      }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: 'registers', Key: 'many/a.csv', Body: peopleCsv(25, 100) }),
    );
    await client.send(
      new PutObjectCommand({ Bucket: 'registers', Key: 'many/b.csv', Body: peopleCsv(15, 200) }),
    );
    client.destroy();
    jobs = new JobService({
      db: tdb.db,
      partitions: 4,
      key: randomBytes(32),
      logger: quiet,
      config: {
        NEXUS_SOURCE_URL_HOSTS: [],
        NEXUS_IMPORT_DIRS: [],
        NEXUS_DATA_DIR: tmpdir(),
        NEXUS_JOB_CONCURRENCY: 2,
        NEXUS_JOB_BATCH_ROWS: 10,
        NEXUS_JOB_MAX_ATTEMPTS: 2,
        NEXUS_JOB_RETRY_BASE_MS: 10,
        NEXUS_JOB_LEASE_SECONDS: 5,
        NEXUS_JOB_FETCH_TIMEOUT_MS: 5000,
      },
    });
    jobs.runner.start(50);
  });
  afterAll(async () => {
    await jobs?.stop();
    await s3rver?.close();
    await tdb?.drop();
  });

  /** Without an engine deciding, a fetched job waits in `deciding`: what is checked is the fetch. */
  async function fetched(jobId: string) {
    for (let i = 0; i < 300; i++) {
      const job = await jobs.jobs.get(jobId);
      if (!['queued', 'fetching'].includes(job.status)) return job;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('never fetched');
  }
  const who = { username: 'op', userId: null };
  const spec = (extra: Record<string, unknown>) =>
    ({
      kind: 's3',
      bucket: 'registers',
      region: 'us-east-1',
      endpoint,
      ...credentials,
      map: { rec_id: 'external_id' },
      ...extra,
    }) as const;

  it('reads one object, and every object under a prefix in key order', async () => {
    const one = await fetched(
      (await jobs.createJob({ source: { ...spec({ key: 'one/people.csv' }) } as never }, who)).id,
    );
    expect(one).toMatchObject({
      status: 'deciding',
      counts: { read: 40, accepted: 40, rejected: 0, pending: 40 },
    });
    const many = await fetched(
      (await jobs.createJob({ source: { ...spec({ prefix: 'many/' }) } as never }, who)).id,
    );
    expect(many).toMatchObject({ status: 'deciding', counts: { read: 40, accepted: 40 } });
    const ids = await tdb.db
      .selectFrom('records')
      .innerJoin('batches', 'batches.id', 'records.batch_id')
      .select('records.external_id')
      .where('batches.job_id', '=', many.id)
      .execute();
    expect(new Set(ids.map((r) => r.external_id)).size).toBe(40);
  });

  it('fails at once with the reason for wrong credentials or a missing key, and never shows the secret', async () => {
    const denied = await fetched(
      (
        await jobs.createJob(
          {
            source: {
              ...spec({ key: 'one/people.csv', accessKeyId: 'NOBODY', secretAccessKey: 'not-the-secret' }),
            } as never,
          },
          who,
        )
      ).id,
    );
    expect(denied).toMatchObject({ status: 'failed', errorCode: 'FETCH.UNAUTHORIZED', attempts: 1 });
    expect(JSON.stringify(denied)).not.toContain('not-the-secret');
    const missing = await fetched(
      (await jobs.createJob({ source: { ...spec({ key: 'nope.csv' }) } as never }, who)).id,
    );
    expect(missing).toMatchObject({ status: 'failed', errorCode: 'FETCH.NOT_FOUND', attempts: 1 });
    const empty = await fetched(
      (await jobs.createJob({ source: { ...spec({ prefix: 'nothing/' }) } as never }, who)).id,
    );
    expect(empty).toMatchObject({ status: 'failed', errorCode: 'FETCH.NOT_FOUND' });
  });

  it('tests the connection: the first rows of an object, or why the store refused, and nothing stored', async () => {
    const before = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const ok = await jobs.testSource({ source: spec({ key: 'one/people.csv' }), rows: 3 });
    expect(ok).toMatchObject({
      ok: true,
      columns: ['external_id', 'given_name', 'family_name', 'date_of_birth'],
      unmapped: [],
      more: true,
    });
    expect(ok.ok && ok.rows.map((r) => r.ok && r.record.external_id)).toEqual(['p1', 'p2', 'p3']);
    const denied = await jobs.testSource({
      source: spec({
        key: 'one/people.csv',
        accessKeyId: 'NOBODY',
        secretAccessKey: 'not-the-secret',
      }),
      rows: 3,
    });
    expect(denied).toMatchObject({ ok: false, error: { code: 'FETCH.UNAUTHORIZED', retryable: false } });
    expect(JSON.stringify(denied)).not.toContain('not-the-secret');
    const missing = await jobs.testSource({ source: spec({ key: 'nope.csv' }), rows: 3 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'FETCH.NOT_FOUND' } });
    const after = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
