/**
 * `npm run bench:jobs`: jobs that pull records (docs/decisions/0033-jobs.md). On a throw-away
 * database of DATABASE_URL (required; the machine's Postgres):
 *  1. a job of BENCH_JOB_ROWS rows (default 1,000,000) from a local URL (a CSV streamed by an HTTP
 *     server of the bench) and one from a Postgres query (generate_series): rows/s fetched and
 *     stored as path A batches (deciding is the engine's, measured by bench:throughput);
 *  2. COPY of the same CSV into a plain table: the ceiling;
 *  3. peak RSS after a job of a quarter of the rows and after the full one (flat = the same);
 *  4. time to cancel: from DELETE to the fetch stopped, for a job mid-fetch.
 */
import { randomBytes } from 'node:crypto';
import { writeFile, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createDb, migrateToLatest, type Db } from '@nexus/actors';
import { JobService } from '../apps/server/src/jobs/jobService';
import { machineLine, writeBenchmarkSection } from './report';

const ROWS = Number(process.env.BENCH_JOB_ROWS ?? 1_000_000);
const adminUrl = machinePostgres();

function machinePostgres(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL (the machine Postgres) for bench:jobs');
  return url;
}

function row(i: number): string {
  return `b${i},Given${i % 997},Family${i % 1009},19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}\n`;
}
const HEADER = 'rec_id,given_name,family_name,date_of_birth\n';

/** Streams n rows of CSV, generated as they are sent (the server holds none). */
function serveCsv(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((req, res) => {
    const n = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('rows'));
    res.writeHead(200, { 'content-type': 'text/csv' });
    let i = 1;
    const pump = () => {
      while (i <= n) {
        let chunk = i === 1 ? HEADER : '';
        for (let k = 0; k < 2000 && i <= n; k++, i++) chunk += row(i);
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      }),
    ),
  );
}

async function waitFetched(jobs: JobService, id: string): Promise<void> {
  for (;;) {
    const job = await jobs.jobs.get(id);
    if (!['queued', 'fetching'].includes(job.status)) {
      if (job.status !== 'deciding') throw new Error(`job ${id}: ${job.status} ${job.error}`);
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<void> {
  const name = `nexus_bench_jobs_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db: Db = createDb(url.href, { maxConnections: 10, applicationName: 'bench-jobs' });
  const files = await serveCsv();
  const csvFile = path.join(os.tmpdir(), `${name}.csv`);
  try {
    await migrateToLatest(db);
    const make = () =>
      new JobService({
        db,
        partitions: 8,
        key: randomBytes(32),
        logger: { warn: () => undefined, error: console.error, info: () => undefined },
        config: {
          NEXUS_SOURCE_URL_HOSTS: ['127.0.0.1'],
          NEXUS_IMPORT_DIRS: [],
          NEXUS_DATA_DIR: os.tmpdir(),
          NEXUS_JOB_CONCURRENCY: 1,
          NEXUS_JOB_BATCH_ROWS: 5000,
          NEXUS_JOB_MAX_ATTEMPTS: 3,
          NEXUS_JOB_RETRY_BASE_MS: 1000,
          NEXUS_JOB_LEASE_SECONDS: 30,
          NEXUS_JOB_FETCH_TIMEOUT_MS: 60_000,
        },
      });
    const jobs = make();
    jobs.runner.start(100);
    const who = { username: 'bench', userId: null };
    const map = { rec_id: 'external_id' };
    const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

    const timed = async (spec: Record<string, unknown>) => {
      const t = performance.now();
      const job = await jobs.createJob({ source: spec as never }, who);
      await waitFetched(jobs, job.id);
      return (performance.now() - t) / 1000;
    };
    const quarter = Math.round(ROWS / 4);
    await timed({
      kind: 'url',
      url: `${files.url}/q.csv?rows=${quarter}`,
      map,
      recordSource: 'bench-quarter',
    });
    const rssQuarter = rssMb();
    const urlSeconds = await timed({
      kind: 'url',
      url: `${files.url}/p.csv?rows=${ROWS}`,
      map,
      recordSource: 'bench-url',
    });
    const rssFull = rssMb();
    console.log(`url: ${ROWS} rows in ${urlSeconds.toFixed(1)} s`);
    const query = `select 'q' || i as rec_id, 'Given' || (i % 997) as given_name, 'Family' || (i % 1009) as family_name from generate_series(1, ${ROWS}) as i order by i`;
    const pgSeconds = await timed({
      kind: 'postgres',
      connectionString: url.href,
      query,
      map,
      recordSource: 'bench-pg',
    });
    console.log(`postgres: ${ROWS} rows in ${pgSeconds.toFixed(1)} s`);

    let text = HEADER;
    for (let i = 1; i <= ROWS; i++) text += row(i);
    await writeFile(csvFile, text, { mode: 0o644 });
    text = '';
    const plain = new pg.Client({ connectionString: url.href });
    await plain.connect();
    await plain.query(
      'create table plain_people (rec_id text, given_name text, family_name text, date_of_birth text)',
    );
    const c0 = performance.now();
    await plain.query(`copy plain_people from '${csvFile}' with (format csv, header true)`);
    const copySeconds = (performance.now() - c0) / 1000;
    await plain.end();
    console.log(`COPY: ${ROWS} rows in ${copySeconds.toFixed(1)} s`);

    // Cancel mid-fetch: from the call to the fetch having stopped (its run ended).
    const jobs2 = jobs;
    const big = await jobs2.createJob(
      { source: { kind: 'url', url: `${files.url}/c.csv?rows=${ROWS}`, map, recordSource: 'bench-cancel' } },
      who,
    );
    for (;;) {
      if ((await jobs2.jobs.get(big.id)).counts.read >= 20_000) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const k0 = performance.now();
    await jobs2.cancelJob(big.id, 'bench');
    for (;;) {
      const runs = await jobs2.jobs.runs(big.id);
      if (runs.every((r) => r.endedAt !== null)) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const cancelMs = performance.now() - k0;
    await jobs2.stop();
    await db.destroy();

    const rate = (s: number) => Math.round(ROWS / s).toLocaleString('en');
    writeBenchmarkSection(
      'Jobs (npm run bench:jobs)',
      `${machineLine()}; ${ROWS.toLocaleString('en')} rows (BENCH_JOB_ROWS), batches of 5,000, one job at a time, the machine's Postgres 15, no engine deciding (fetch and store only: the records wait \`received\` for the deciders, measured by bench:throughput).

| | seconds | rows/s |
|---|---|---|
| job from a local URL (CSV streamed over HTTP) | ${urlSeconds.toFixed(1)} | ${rate(urlSeconds)} |
| job from a Postgres query (cursor, 1,000 rows per read) | ${pgSeconds.toFixed(1)} | ${rate(pgSeconds)} |
| \`COPY\` of the same CSV into a plain table (the ceiling) | ${copySeconds.toFixed(1)} | ${rate(copySeconds)} |

Peak RSS of the process: ${rssQuarter} MB after a job of ${quarter.toLocaleString('en')} rows, ${rssFull} MB after ${ROWS.toLocaleString('en')} (the source is streamed; a job holds at most one batch). Time to cancel a URL job mid-fetch (DELETE to its fetch stopped, on the engine running it): ${Math.round(cancelMs)} ms.

A job's rows go through the \`nexus ingest\` readers, validation and \`submitBatch\` (records with their payload, partition and the (source, external_id) uniqueness check, in one transaction per batch with the job's resume position), which is what the gap to \`COPY\` of four text columns pays for.`,
    );
  } finally {
    await files.close();
    await rm(csvFile, { force: true });
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
