// npm run bench:accuracy — every labelled data set through the real engine (path A, embedded
// Postgres), one at a time as records arrive; pairwise P/R/F1 over all pairs. Each set runs
// twice: with the shipped defaults, then `nexus train` (no labels) on that database, then again
// on a fresh database with the trained model active.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import {
  blockingRecall,
  createDb,
  migrateToLatest,
  pairwiseScores,
  storeModelVersion,
  type MatchModel,
} from '@nexus/actors';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { exportClusters } from '../apps/server/src/dedupe/exportClusters';
import { loadAndDecide } from '../apps/server/src/dedupe/runDedupe';
import { startEngine } from '../apps/server/src/engine/engine';
import { parseColumnMap } from '../apps/server/src/files';
import { trainFromDatabase } from '../apps/server/src/training/trainFromDatabase';
import { labelledDatasets, readTruth, type LabelledDataset } from './datasets';
import { machineLine, writeBenchmarkSection } from './report';

interface Row {
  name: string;
  records: number;
  precision: number;
  recall: number;
  f1: number;
  review: number;
  /** Merge proposals of golden records opened (cases of their own, no record waits on them). */
  proposals: number;
  blocking: number;
  perSecond: number;
  splink: string;
  goal?: number;
  /** 'defaults', or 'trained' with what EM did. */
  model: string;
}

interface Run {
  row: Row;
  /** The model `nexus train` estimated on this run's database (asked for on the default run). */
  trained?: { model: MatchModel; iterations: number; converged: boolean; seconds: number };
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
/** Sets decided at once (each on its own database, in file order): --lanes=N, default 4. */
const lanes = Number(process.argv.find((a) => a.startsWith('--lanes='))?.slice('--lanes='.length) ?? 4);

/** Rows of a set's files (a header each), to start the largest first. */
function recordCount(set: LabelledDataset): number {
  return set.files.reduce((n, file) => n + fs.readFileSync(file, 'utf8').split('\n').length - 2, 0);
}

async function runOne(
  adminUrl: string,
  set: LabelledDataset,
  index: number,
  options: { model?: MatchModel; train: boolean },
): Promise<Run> {
  const name = `nexus_bench_${index}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10 });
  try {
    await migrateToLatest(db);
    if (options.model) {
      await storeModelVersion(db, options.model, { kind: 'trained', notes: 'bench: trained on this set', activate: true });
    }
    // One partition: records are decided one after another in file order, so a run is repeatable
    // (with eight, the partitions' interleaving moved F1 by up to 0.03 between runs of one model).
    const engine = await startEngine(loadConfig({ NEXUS_PARTITIONS: '1' }), db, url.toString());
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
    const proposals = await db
      .selectFrom('review_cases')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('record_id', 'is', null)
      .where('kind', '=', 'merge_proposal')
      .executeTakeFirstOrThrow();
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
    let trained: Run['trained'];
    if (options.train) {
      const trainStarted = performance.now();
      const outcome = await trainFromDatabase(db, { activate: false });
      trained = {
        model: outcome.result.model,
        iterations: outcome.result.iterations,
        converged: outcome.result.converged,
        seconds: (performance.now() - trainStarted) / 1000,
      };
    }
    const row: Row = {
      name: set.name,
      records: read,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      review: review / read,
      proposals: Number(proposals.n),
      blocking: blockingRecall(entities, truth.map(([record]) => keys.get(record) ?? [])),
      perSecond: read / seconds,
      splink: set.splink,
      goal: set.goal,
      model: options.model ? 'trained' : 'defaults',
    };
    return { row, trained };
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const f = (n: number, d = 4) => n.toFixed(d);

async function main() {
  const server = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        // Made only when used: a run on DATABASE_URL left an empty folder behind each time.
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-pg-')),
        persistent: false,
        fast: true,
        database: 'postgres',
      });
  const adminUrl = process.env.DATABASE_URL ?? server!.url;
  const results: Row[] = [];
  try {
    const sets = labelledDatasets().filter((s) => !only || s.name.toLowerCase().includes(only.toLowerCase()));
    const show = (row: Row) =>
      console.log(
        `${row.name.padEnd(36)} ${row.model.padEnd(20)} P ${f(row.precision)}  R ${f(row.recall)}  F1 ${f(row.f1)}  review ${(row.review * 100).toFixed(2)}%  proposals ${row.proposals}  blocking ${f(row.blocking)}  ${row.perSecond.toFixed(0)} rec/s`,
      );
    // Each set's runs are independent of the others' and each decides in file order, so several
    // sets run at once (one partition is mostly waiting on Postgres): the figures are the same,
    // the bench takes a fraction as long; only records/s is shared between the sets running.
    const runSet = async (set: LabelledDataset, i: number): Promise<Row[]> => {
      const defaults = await runOne(adminUrl, set, i, { train: true });
      const trained = defaults.trained!;
      const again = await runOne(adminUrl, set, i, { model: trained.model, train: false });
      again.row.model = `trained (EM ${trained.iterations} it${trained.converged ? '' : ', not converged'})`;
      show(defaults.row);
      show(again.row);
      console.log(`${''.padEnd(36)} training took ${trained.seconds.toFixed(1)} s`);
      return [defaults.row, again.row];
    };
    const perSet: Row[][] = sets.map(() => []);
    // The largest sets first, so that no lane is left with one at the end.
    const queue = sets.map((set, i) => ({ set, i })).sort((a, b) => recordCount(b.set) - recordCount(a.set));
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) perSet[next.i] = await runSet(next.set, next.i);
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    results.push(...perSet.flat());
  } finally {
    await server?.stop();
  }
  if (only) return; // a partial run does not overwrite the table
  const table = [
    '| data | model | records | precision | recall | F1 | goal F1 | Splink F1 (best) | review share | merge proposals | blocking recall | records/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.model === 'defaults' ? r.name : ''} | ${r.model} | ${r.records} | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${r.goal === undefined ? '-' : `${r.goal}${r.f1 >= r.goal ? ' met' : ' **missed**'}`} | ${r.model === 'defaults' ? r.splink : ''} | ${(r.review * 100).toFixed(2)}% | ${r.proposals} | ${f(r.blocking)} | ${r.perSecond.toFixed(0)} |`,
    ),
  ].join('\n');
  writeBenchmarkSection(
    'Accuracy (npm run bench:accuracy)',
    `${machineLine()}. Each data set goes through the real engine (path A: batches of 1,000, outbox relay,
a partition actor, a worker thread, one transaction per record) on a fresh embedded Postgres,
twice: with the shipped default model ("defaults"), then, after \`nexus train\` on that database
(no labels: u from random pairs, m by EM over blocked pairs, term frequencies;
docs/decisions/0007-fellegi-sunter-model-and-training.md), on a fresh database with the trained
model active ("trained"). The engine runs with ONE partition, so records are decided one at a
time in file order and a run repeats exactly (batches reach the bus in submission order; training
draws by a seeded hash): with eight partitions the order in which a person's records met changed
from run to run and moved F1 by up to 0.005 on FEBRL and 0.03 on fake_1000. Four sets run at
once, each on its own database, so records/s is shared with the other sets running (and with
whatever else the machine runs); it is not a throughput figure (npm run bench:throughput).
Pairwise precision, recall and F1 over all pairs as defined in shared/data/README.md, over the
automatic decisions: records left in review count as linked to nobody. A record matching several
golden records links to the best and opens a merge proposal for those golden records
(docs/decisions/0021-merge-proposals-of-golden-records.md): "merge proposals" counts those cases,
which no record waits on and which the table does not merge (a reviewer would). Blocking recall
is the share of true pairs whose records share at least one blocking key: the recall that
candidate search allows (a record can still join its person through another member).

${table}`,
  );
  console.log('written to docs/benchmarks.md');
}

await main();
