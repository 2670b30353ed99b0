// npm run bench:accuracy — every labelled data set through the real engine (path A, embedded
// Postgres, shipped model), one at a time as records arrive; pairwise P/R/F1 over all pairs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { blockingRecall, createDb, migrateToLatest, pairwiseScores } from '@nexus/actors';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { exportClusters } from '../apps/server/src/dedupe/exportClusters';
import { loadAndDecide } from '../apps/server/src/dedupe/runDedupe';
import { startEngine } from '../apps/server/src/engine/engine';
import { parseColumnMap } from '../apps/server/src/files';
import { labelledDatasets, readTruth, type LabelledDataset } from './datasets';
import { machineLine, writeBenchmarkSection } from './report';

interface Row {
  name: string;
  records: number;
  precision: number;
  recall: number;
  f1: number;
  review: number;
  blocking: number;
  perSecond: number;
  splink: string;
  goal?: number;
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

async function runOne(adminUrl: string, set: LabelledDataset, index: number): Promise<Row> {
  const name = `nexus_bench_${index}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10 });
  try {
    await migrateToLatest(db);
    const engine = await startEngine(loadConfig({}), db, url.toString());
    const started = performance.now();
    const { read, batchIds } = await loadAndDecide(
      db,
      engine,
      { files: set.files, source: set.source, map: parseColumnMap(set.map) },
      { onProblem: () => undefined, onProgress: () => undefined },
    );
    const seconds = (performance.now() - started) / 1000;
    await engine.stop();
    const predicted = new Map<string, string | undefined>();
    let review = 0;
    for await (const row of exportClusters(db, batchIds)) {
      predicted.set(row.external_id, row.customer_id || undefined);
      if (row.decision === 'review') review++;
    }
    const keys = new Map<string, string[]>();
    const rows = await db
      .selectFrom('blocking_keys as k')
      .innerJoin('records as r', 'r.id', 'k.record_id')
      .select(['r.external_id', 'k.key'])
      .execute();
    for (const r of rows) keys.set(r.external_id, [...(keys.get(r.external_id) ?? []), r.key]);
    const truth = [...readTruth(set.truth)];
    const entities = truth.map(([, entity]) => entity);
    const s = pairwiseScores(entities, truth.map(([record]) => predicted.get(record)));
    return {
      name: set.name,
      records: read,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      review: review / read,
      blocking: blockingRecall(entities, truth.map(([record]) => keys.get(record) ?? [])),
      perSecond: read / seconds,
      splink: set.splink,
      goal: set.goal,
    };
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const f = (n: number, d = 4) => n.toFixed(d);

async function main() {
  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-pg-'));
  const server = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({ dataDir: pgDir, persistent: false, fast: true, database: 'postgres' });
  const adminUrl = process.env.DATABASE_URL ?? server!.url;
  const results: Row[] = [];
  try {
    const sets = labelledDatasets().filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()));
    for (const [i, set] of sets.entries()) {
      const row = await runOne(adminUrl, set, i);
      results.push(row);
      console.log(
        `${row.name.padEnd(36)} P ${f(row.precision)}  R ${f(row.recall)}  F1 ${f(row.f1)}  review ${(row.review * 100).toFixed(2)}%  blocking ${f(row.blocking)}  ${row.perSecond.toFixed(0)} rec/s`,
      );
    }
  } finally {
    await server?.stop();
  }
  if (only) return; // a partial run does not overwrite the table
  const table = [
    '| data | records | precision | recall | F1 | goal F1 | Splink F1 (best) | review share | blocking recall | records/s |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.records} | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${r.goal === undefined ? '-' : `${r.goal}${r.f1 >= r.goal ? ' met' : ' **missed**'}`} | ${r.splink} | ${(r.review * 100).toFixed(2)}% | ${f(r.blocking)} | ${r.perSecond.toFixed(0)} |`,
    ),
  ].join('\n');
  writeBenchmarkSection(
    'Accuracy (npm run bench:accuracy)',
    `${machineLine()}. Each data set goes through the real engine (path A: batches of 1,000, outbox relay,
partition actors, worker threads, one transaction per record) on a fresh embedded Postgres with
the shipped default model, one record at a time in file order. Pairwise precision, recall and F1
over all pairs as defined in shared/data/README.md; records left in review count as linked to
nobody. Blocking recall is the share of true pairs whose records share at least one blocking key.
records/s includes loading the file and relaying.

${table}`,
  );
  console.log('written to docs/benchmarks.md');
}

await main();
