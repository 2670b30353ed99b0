// npm run bench:accuracy — every labelled data set through the real engine (path A, embedded
// Postgres), one at a time as records arrive; pairwise P/R/F1 over all pairs. Each set runs
// three times: with the shipped defaults, with the model learned from the file first (no labels,
// as `nexus dedupe` does), both on one partition in file order, and as a user runs it: the
// `nexus dedupe` command on the file as given, default settings, its CSV scored. Small sets
// marked `orders` are also decided in --orders=N (default 5) seeded shuffled arrival orders.
// --enrichment[=ADAPTERS] measures the enrichment stage instead (docs/decisions/0041-enrichment-stage.md):
// every set, and the sets with names in two scripts (bench/transliteratedNames.ts), with the model
// learned from the file, once with NEXUS_ENRICH=off and once with ADAPTERS (default translit; an
// llm adapter reads NEXUS_ENRICH_LLM_* from the environment).
// --encryption shows that encryption at rest leaves decisions as they were (docs/decisions/0049-encryption-at-rest.md):
// each set (--only=A,B picks sets; at most --max-records=N records, default all), with the defaults and the learned model,
// once without and once with NEXUS_ENCRYPTION_KEY, one run after another (the cipher is per thread).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb, migrateToLatest } from '@nexus/actors';
import { blockingRecall, pairwiseScores } from '@nexus/matching';
import { seededRandom } from '@nexus/schema';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { exportClusters } from '../apps/server/src/dedupe/exportClusters';
import { learnFromInput } from '../apps/server/src/dedupe/learnFromInput';
import { loadAndDecide } from '../apps/server/src/dedupe/runDedupe';
import { startEngine } from '../apps/server/src/engine/engine';
import { parseColumnMap } from '../apps/server/src/files';
import { enrichmentConfig } from '../apps/server/src/enrichment/enrichmentConfig';
import { firstFile, labelledDatasets, readTruth, type LabelledDataset } from './datasets';
import { twoScriptBases, writeTwoScriptSet } from './transliteratedNames';
import { BENCHMARKS_FILE, machineLine, writeBenchmarkSection } from './report';

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
  /** 'defaults', 'learned from the file', or 'nexus dedupe (as a user)'. */
  model: string;
  /** Records in the largest golden record, and in the largest true cluster (a chaining alarm). */
  largest: number;
  largestTrue: number;
}

interface Run {
  row: Row;
  /** Every record's decision: external id -> status and golden record (by its founding record). */
  decisions: Map<string, string>;
  /** Records whose stored payload holds sealed values (nxe1:...): 0 for a set without identifiers. */
  sealedRecords: number;
  /** Data keys in the database: encryption at rest was on. */
  dataKeys: number;
}

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
/** --only=A,B: the sets whose names contain A or B (case aside). */
const selected = (name: string) =>
  !only ||
  only
    .toLowerCase()
    .split(',')
    .some((part) => part.trim() !== '' && name.toLowerCase().includes(part.trim()));
/** Sets decided at once (each on its own database, in file order): --lanes=N, default 4. */
const lanes = Number(process.argv.find((a) => a.startsWith('--lanes='))?.slice('--lanes='.length) ?? 4);

/** Seeded shuffled arrival orders of the sets marked `orders`: --orders=N, default 5 (0: none). */
const orders = Number(process.argv.find((a) => a.startsWith('--orders='))?.slice('--orders='.length) ?? 5);

/** --enrichment[=ADAPTERS]: enrichment off against ADAPTERS (default translit), learned model. */
const enrichmentFlag = process.argv.find((a) => a === '--enrichment' || a.startsWith('--enrichment='));
const enrichedWith = enrichmentFlag?.includes('=')
  ? enrichmentFlag.slice('--enrichment='.length)
  : 'translit';

/** --encryption: each set without and with encryption at rest, every decision compared. */
const encryptionFlag = process.argv.includes('--encryption');
const maxRecords = Number(
  process.argv.find((a) => a.startsWith('--max-records='))?.slice('--max-records='.length) ?? Infinity,
);
/** A key-encryption key for the bench's throw-away databases only. */
const BENCH_KEY = 'a-key-encryption-key-for-bench-accuracy-0049';

/**
 * The engine's configuration with NEXUS_ENRICH set (unset: the default) and, when `encrypt`,
 * NEXUS_ENCRYPTION_KEY; NEXUS_ENRICH_LLM_* from the environment.
 */
function engineConfig(enrich: string | undefined, encrypt = false) {
  const llm = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k.startsWith('NEXUS_ENRICH_LLM_')),
  );
  return loadConfig({
    ...llm,
    NEXUS_PARTITIONS: '1',
    ...(enrich ? { NEXUS_ENRICH: enrich } : {}),
    ...(encrypt ? { NEXUS_ENCRYPTION_KEY: BENCH_KEY } : {}),
  });
}

/** Rows of a set's files (a header each), to start the largest first. */
function recordCount(set: LabelledDataset): number {
  return set.files.reduce((n, file) => n + fs.readFileSync(file, 'utf8').split('\n').length - 2, 0);
}

/**
 * The set's rows (all its files, which share one header) in the arrival order of `seed`
 * (Fisher-Yates), written to one file in a folder of its own, which the caller removes.
 * The data sets have no quoted line breaks, so a row is a line.
 */
function shuffledFile(set: LabelledDataset, seed: number): string {
  let header: string | undefined;
  const rows: string[] = [];
  for (const file of set.files) {
    const [head, ...lines] = fs.readFileSync(file, 'utf8').split(/\r?\n/);
    if (header !== undefined && head !== header)
      throw new Error(`${file}: header differs from ${set.files[0]}`);
    header = head;
    rows.push(...lines.filter((l) => l.trim() !== ''));
  }
  const random = seededRandom(seed);
  for (let i = rows.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const [a, b] = [rows[i], rows[j]];
    if (a === undefined || b === undefined) throw new Error(`shuffle: no row ${i} or ${j} of ${rows.length}`);
    [rows[i], rows[j]] = [b, a];
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-order-'));
  const file = path.join(dir, `${path.basename(firstFile(set), '.csv')}_order${seed}.csv`);
  fs.writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
  return file;
}

async function runOne(
  adminUrl: string,
  set: LabelledDataset,
  index: number,
  options: { learn: boolean; order?: number; enrich?: string; encrypt?: boolean },
): Promise<Run> {
  const config = engineConfig(options.enrich, options.encrypt);
  const shuffled = options.order === undefined ? undefined : shuffledFile(set, options.order);
  const files = shuffled === undefined ? set.files : [shuffled];
  const name = `nexus_bench_${index}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10 });
  try {
    await migrateToLatest(db);
    const input = { files, source: set.source, map: parseColumnMap(set.map) };
    // As `nexus dedupe` does: the model learned from the file before its first record is decided.
    if (options.learn) await learnFromInput(db, input, { enrichment: enrichmentConfig(config) });
    // One partition: records are decided one after another in file order, so a run is repeatable
    // (with eight, the partitions' interleaving moved F1 by up to 0.03 between runs of one model).
    const engine = await startEngine(config, db, url.toString());
    const started = performance.now();
    const { read, batchIds } = await loadAndDecide(db, engine, input, {
      onProblem: () => undefined,
      onProgress: () => undefined,
    });
    const seconds = (performance.now() - started) / 1000;
    await engine.stop();
    const predicted = new Map<string, string | undefined>();
    let review = 0;
    for await (const row of exportClusters(db, batchIds)) {
      predicted.set(row.external_id, row.customer_id || undefined);
      if (row.decision === 'review') review++;
    }
    // BENCH_KEEP_CLUSTERS=DIR: each run's clusters as CSV, to find the pairs two runs disagree on.
    const keep = process.env.BENCH_KEEP_CLUSTERS;
    if (keep) {
      fs.mkdirSync(keep, { recursive: true });
      const runName = `${set.name}_${options.enrich ?? 'default'}`.replace(/[^\w.-]+/g, '_');
      fs.writeFileSync(
        path.join(keep, `${runName}.csv`),
        `external_id,customer_id\n${[...predicted].map(([id, c]) => `${id},${c ?? ''}`).join('\n')}\n`,
      );
    }
    // Golden record ids differ between databases: a decision names its golden record by the
    // smallest external id among its members, so two runs agree on every record exactly when
    // they made the same golden records and the same statuses.
    const decided = await db
      .selectFrom('records as r')
      .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select(['r.external_id', 'r.status', 'm.golden_id'])
      .execute();
    const nameOf = new Map<string, string>();
    for (const d of decided)
      if (d.golden_id && (nameOf.get(d.golden_id) ?? '\uffff') > d.external_id)
        nameOf.set(d.golden_id, d.external_id);
    const decisions = new Map(
      decided.map((d) => [d.external_id, `${d.status}:${d.golden_id ? nameOf.get(d.golden_id) : ''}`]),
    );
    const sealed = await db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where(sql<boolean>`payload::text like '%nxe1:%'`)
      .executeTakeFirstOrThrow();
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
    const s = pairwiseScores(
      entities,
      truth.map(([record]) => predicted.get(record)),
    );
    const row: Row = {
      name: set.name,
      records: read,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      review: review / read,
      proposals: Number(proposals.n),
      blocking: blockingRecall(
        entities,
        truth.map(([record]) => keys.get(record) ?? []),
      ),
      perSecond: read / seconds,
      splink: set.splink,
      goal: set.goal,
      model: `${options.learn ? 'learned from the file' : 'defaults'}${options.enrich ? `, NEXUS_ENRICH=${options.enrich}` : ''}`,
      largest: s.largestCluster,
      largestTrue: s.largestTrueCluster,
    };
    const dataKeys = await db
      .selectFrom('encryption_keys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('purpose', '=', 'data')
      .executeTakeFirstOrThrow();
    return { row, decisions, sealedRecords: Number(sealed.n), dataKeys: Number(dataKeys.n) };
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
    if (shuffled !== undefined) fs.rmSync(path.dirname(shuffled), { recursive: true, force: true });
  }
}

const repo = path.resolve(import.meta.dirname, '..');

/**
 * `nexus dedupe` as a user runs it: the command on the set's files as given (its column map, the
 * default settings), its own throw-away embedded Postgres; the CSV it writes is scored.
 */
async function runAsUser(set: LabelledDataset): Promise<Row> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-user-'));
  const out = path.join(dir, 'clusters.csv');
  try {
    const args = [
      path.join(repo, 'apps/server/bin/nexus.mjs'),
      'dedupe',
      ...set.files,
      '--source',
      set.source,
      '--out',
      out,
      '--quiet',
    ];
    if (set.map !== '') args.push('--map', set.map);
    const started = performance.now();
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
      records: number;
      model: string;
    };
    const predicted = new Map<string, string | undefined>();
    let review = 0;
    for (const line of fs.readFileSync(out, 'utf8').trim().split(/\r?\n/).slice(1)) {
      const [, externalId, customerId, decision] = line.split(',');
      predicted.set(externalId ?? '', customerId === '' ? undefined : customerId);
      if (decision === 'review') review++;
    }
    const truth = [...readTruth(set.truth)];
    const entities = truth.map(([, entity]) => entity);
    const s = pairwiseScores(
      entities,
      truth.map(([record]) => predicted.get(record)),
    );
    console.log(`${set.name.padEnd(36)} nexus dedupe: ${summary.model}`);
    return {
      name: set.name,
      records: summary.records,
      precision: s.precision,
      recall: s.recall,
      f1: s.f1,
      review: review / summary.records,
      proposals: -1,
      blocking: -1,
      perSecond: summary.records / seconds,
      splink: set.splink,
      goal: set.goal,
      model: 'nexus dedupe (as a user)',
      largest: s.largestCluster,
      largestTrue: s.largestTrueCluster,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** F1 of each model over the seeded shuffled arrival orders of one set. */
interface OrderStudy {
  name: string;
  seeds: number[];
  defaults: number[];
  trained: number[];
  defaultsReview: number[];
  trainedReview: number[];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
/** Sample standard deviation (n - 1). */
const sd = (xs: number[]) =>
  xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));

const f = (n: number, d = 4) => n.toFixed(d);

async function main() {
  if (enrichmentFlag) return measureEnrichment();
  if (encryptionFlag) return measureEncryption();
  const server = await adminPostgres();
  const adminUrl = server.url;
  const results: Row[] = [];
  const studies: OrderStudy[] = [];
  try {
    const sets = labelledDatasets().filter((s) => selected(s.name));
    const show = (row: Row) =>
      console.log(
        `${row.name.padEnd(36)} ${row.model.padEnd(26)} P ${f(row.precision)}  R ${f(row.recall)}  F1 ${f(row.f1)}  review ${(row.review * 100).toFixed(2)}%  largest ${row.largest}/${row.largestTrue}  proposals ${row.proposals}  blocking ${f(row.blocking)}  ${row.perSecond.toFixed(0)} rec/s`,
      );
    // Each set's runs are independent of the others' and each decides in file order, so several
    // sets run at once (one partition is mostly waiting on Postgres): the figures are the same,
    // the bench takes a fraction as long; only records/s is shared between the sets running.
    const runSet = async (set: LabelledDataset, i: number): Promise<Row[]> => {
      const defaults = await runOne(adminUrl, set, i, { learn: false });
      const learned = await runOne(adminUrl, set, i, { learn: true });
      const user = await runAsUser(set);
      show(defaults.row);
      show(learned.row);
      show(user);
      if (set.orders && orders > 0) {
        const study: OrderStudy = {
          name: set.name,
          seeds: [],
          defaults: [],
          trained: [],
          defaultsReview: [],
          trainedReview: [],
        };
        for (let seed = 1; seed <= orders; seed++) {
          const d = await runOne(adminUrl, set, i, { learn: false, order: seed });
          const t = await runOne(adminUrl, set, i, { learn: true, order: seed });
          study.seeds.push(seed);
          study.defaults.push(d.row.f1);
          study.trained.push(t.row.f1);
          study.defaultsReview.push(d.row.review);
          study.trainedReview.push(t.row.review);
          console.log(
            `${set.name.padEnd(36)} order ${seed}: defaults F1 ${f(d.row.f1)} (review ${(d.row.review * 100).toFixed(2)}%)  learned F1 ${f(t.row.f1)} (review ${(t.row.review * 100).toFixed(2)}%)`,
          );
        }
        studies.push(study);
      }
      return [defaults.row, learned.row, user];
    };
    const perSet: Row[][] = sets.map(() => []);
    // The most work first (records times runs), so that no lane is left with a set at the end.
    const work = (set: LabelledDataset) => recordCount(set) * (3 + (set.orders ? 2 * orders : 0));
    const queue = sets.map((set, i) => ({ set, i })).sort((a, b) => work(b.set) - work(a.set));
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift())
        perSet[next.i] = await runSet(next.set, next.i);
    };
    await Promise.all(Array.from({ length: lanes }, lane));
    results.push(...perSet.flat());
  } finally {
    await server.stop();
  }
  if (only) return; // a partial run does not overwrite the table
  const goal = (r: Row) => {
    const f1 = r.goal === undefined ? 'F1 -' : `F1 ${r.goal}${r.f1 >= r.goal ? ' met' : ' **missed**'}`;
    return `${f1}; P 0.98${r.precision >= 0.98 ? ' met' : ' **missed**'}; review 3%${r.review <= 0.03 ? ' met' : ' **missed**'}`;
  };
  const table = [
    '| data | model | records | precision | recall | F1 | goals | Splink F1 (best) | review share | largest golden record / true cluster | merge proposals | blocking recall | records/s |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.model === 'defaults' ? r.name : ''} | ${r.model} | ${r.records} | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${goal(r)} | ${r.model === 'defaults' ? r.splink : ''} | ${(r.review * 100).toFixed(2)}% | ${r.largest} / ${r.largestTrue} | ${r.proposals < 0 ? '-' : r.proposals} | ${r.blocking < 0 ? '-' : f(r.blocking)} | ${r.perSecond.toFixed(0)} |`,
    ),
  ].join('\n');
  const fileOrder = (name: string, model: 'defaults' | 'learned') => {
    const row = results.find(
      (r) => r.name === name && r.model === (model === 'defaults' ? 'defaults' : 'learned from the file'),
    );
    if (!row) throw new Error(`no file-order row for ${name} with the ${model} model`);
    return row;
  };
  const orderTables = studies.map((s) => {
    const n = s.seeds.length;
    const byOrder = s.seeds.map((seed, k) => {
      const [defaults, trained] = [s.defaults[k], s.trained[k]];
      if (defaults === undefined || trained === undefined)
        throw new Error(`${s.name}: no F1 for order ${seed}`);
      return { seed, defaults, trained };
    });
    const wins = byOrder.filter((o) => o.trained >= o.defaults).length;
    const diff = mean(s.trained) - mean(s.defaults);
    const line = (model: 'defaults' | 'learned', f1s: number[], reviews: number[]) =>
      `| ${model} | ${f(fileOrder(s.name, model).f1)} | **${f(mean(f1s))}** (${f(sd(f1s))}) | ${f(Math.min(...f1s))} | ${f(Math.max(...f1s))} | ${(mean(reviews) * 100).toFixed(2)}% |`;
    return `### ${s.name}: file order against ${n} shuffled arrival orders

The same ${s.name} records decided in ${n} more arrival orders, each a seeded shuffle of the
file (seeds ${s.seeds.join(', ')}, so every run of the bench decides the same orders), once with
the defaults and once with the model learned from the file in that order (as \`nexus dedupe\`
learns it). Mean F1, sample standard deviation in brackets; each order on a fresh database, one
partition.

| model | F1 in file order | mean F1 over ${n} orders (SD) | min | max | mean review share |
|---|---|---|---|---|---|
${line('defaults', s.defaults, s.defaultsReview)}
${line('learned', s.trained, s.trainedReview)}

Per order (seed: defaults / learned): ${byOrder.map((o) => `${o.seed}: ${f(o.defaults)} / ${f(o.trained)}`).join('; ')}.

Over the ${n} orders the learned model ${diff >= 0 ? 'keeps or improves' : '**loses**'} F1 against the defaults
(mean ${diff >= 0 ? '+' : ''}${f(diff)}; learned >= defaults in ${wins} of ${n} orders), while one order alone moves
F1 by about ${f(Math.max(sd(s.defaults), sd(s.trained)), 3)} (SD): on a set this small the file-order
figure compares one draw of the arrival order, not the models.`;
  });
  writeBenchmarkSection(
    'Accuracy (npm run bench:accuracy)',
    `${machineLine()}. Each data set goes through the real engine (path A: batches of 1,000, outbox relay,
a partition actor, a worker thread, one transaction per record) on a fresh database ${process.env.DATABASE_URL ? "of the machine's Postgres server (DATABASE_URL)" : 'of an embedded Postgres'},
three times: with the shipped default model ("defaults"); with the model learned from the file
before its first record is decided, as \`nexus dedupe\` does ("learned from the file": no labels;
u from random pairs, term frequencies, the match prior and m by EM over blocked pairs;
docs/decisions/0028-learning-the-model-from-the-data-at-hand.md); and as a user runs it
("nexus dedupe (as a user)": the command on the file as given, default settings, eight
partitions, its own embedded Postgres; its CSV scored, so merge proposals and blocking recall are
not shown). The first two run with ONE partition, so records are decided one at a time in file
order and a run repeats exactly: with eight partitions the order in which a person's records met
changes from run to run. Four sets run at once, each on its own database, so records/s is shared
with the other sets running (and with whatever else the machine runs); it is not a throughput
figure (npm run bench:throughput). "largest golden record / true cluster" is a chaining alarm: a
golden record far larger than the largest true person means records joined through one another.
Pairwise precision, recall and F1 over all pairs (a pair is two records in one golden record; a true pair, two records of one person), over the
automatic decisions: records left in review count as linked to nobody. A record matching several
golden records links to the best and opens a merge proposal for those golden records
(docs/decisions/0021-merge-proposals-of-golden-records.md): "merge proposals" counts those cases,
which no record waits on and which the table does not merge (a reviewer would). Blocking recall
is the share of true pairs whose records share at least one blocking key: the recall that
candidate search allows (a record can still join its person through another member).

${table}${orderTables.length > 0 ? `\n\n${orderTables.join('\n\n')}` : ''}`,
  );
  console.log('written to docs/benchmarks.md');
}

/**
 * The Postgres each measurement makes its databases on: DATABASE_URL's, else an embedded cluster
 * (its folder made only when used: a run on DATABASE_URL left an empty one behind each time).
 */
async function adminPostgres(): Promise<{ url: string; stop(): Promise<void> }> {
  const given = process.env.DATABASE_URL;
  if (given) return { url: given, stop: () => Promise.resolve() };
  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-pg-')),
    persistent: false,
    fast: true,
    database: 'postgres',
  });
  return { url: server.url, stop: () => server.stop() };
}

/** The rows of the enrichment table in docs/benchmarks.md, by set name. */
function enrichmentRowsWritten(): Array<[string, string]> {
  const text = fs.existsSync(BENCHMARKS_FILE) ? fs.readFileSync(BENCHMARKS_FILE, 'utf8') : '';
  const start = text.indexOf('## Enrichment (npm run bench:accuracy -- --enrichment)\n');
  if (start === -1) return [];
  // From the heading to the next one (or the end of the file).
  const rest = text.slice(start);
  const next = rest.search(/\n## /);
  const section = next === -1 ? rest : rest.slice(0, next);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| data |'))
    .map((line) => {
      const [, name] = line.split('|');
      if (name === undefined) throw new Error(`enrichment table row without a set name: ${line}`);
      return [name.trim(), line];
    });
}

/** Each set with the learned model, enrichment off against on; the two-script sets too. */
async function measureEnrichment() {
  const server = await adminPostgres();
  const adminUrl = server.url;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-two-scripts-'));
  const built = twoScriptBases().map((base) => writeTwoScriptSet(base, dir));
  const everySet = [...labelledDatasets(), ...built.map((b) => b.set)];
  const sets = everySet.filter((s) => selected(s.name));
  const pairs: Array<{ off: Row; on: Row } | undefined> = sets.map(() => undefined);
  const rewrites = built
    .map(
      (b) =>
        `${b.set.name}: ${Object.entries(b.rewritten)
          .map(([k, n]) => `${n} ${k.replace('_', ' ')}`)
          .join(', ')}`,
    )
    .join('; ');
  // The section is written again after each set, so a run cut short still leaves what it measured.
  const header = [
    `| data | records | precision off | precision ${enrichedWith} | recall off | recall ${enrichedWith} | F1 off | F1 ${enrichedWith} | F1 change | review off / on | blocking recall off / on |`,
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const started = machineLine();
  const write = () => {
    // A partial run (--only) replaces its sets' rows in the table and keeps the others' as they are
    // (read again each time: partial runs of other sets may be writing beside it).
    const kept = only ? enrichmentRowsWritten() : [];
    const done = pairs.filter((p) => p !== undefined);
    const delta = (on: number, off: number) => `${on - off >= 0 ? '+' : ''}${f(on - off)}`;
    const measured = new Map(
      done.map(({ off, on }) => [
        off.name,
        `| ${off.name} | ${off.records} | ${f(off.precision)} | ${f(on.precision)}${on.precision < off.precision ? ' **lower**' : ''} | ${f(off.recall)} | ${f(on.recall)} | ${f(off.f1)} | **${f(on.f1)}** | ${delta(on.f1, off.f1)} | ${(off.review * 100).toFixed(2)}% / ${(on.review * 100).toFixed(2)}% | ${f(off.blocking)} / ${f(on.blocking)} |`,
      ]),
    );
    const rows = new Map([...kept.filter(([name]) => !measured.has(name)), ...measured]);
    const ordered = everySet.flatMap((s) => {
      const row = rows.get(s.name);
      return row === undefined ? [] : [{ name: s.name, row }];
    });
    const lowered = ordered.filter((s) => s.row.includes('**lower**')).map((s) => s.name);
    const missing = everySet.filter((s) => !rows.has(s.name)).map((s) => s.name);
    const table = [...header, ...ordered.map((s) => s.row)].join('\n');
    writeBenchmarkSection(
      'Enrichment (npm run bench:accuracy -- --enrichment)',
      `${only && kept.length > 0 ? `${done.map((p) => p.off.name).join(', ')}: ${started} (\`--only\`); the other rows measured before` : started}. Every labelled set, and two sets with names in two scripts built from them by
bench/transliteratedNames.ts (seeded; the labels unchanged; records rewritten: ${rewrites}), through
the real engine as in the accuracy table (one partition, file order, a fresh database each), with
the model learned from the file as \`nexus dedupe\` learns it (the learning sees the records enriched
the same way), twice: NEXUS_ENRICH=off and NEXUS_ENRICH=${enrichedWith}
(docs/decisions/0041-enrichment-stage.md). Pairwise precision, recall and F1 over all pairs; records
left in review count as linked to nobody. ${lowered.length === 0 ? `Enrichment lowered precision on none of the ${ordered.length} sets measured.` : `**Enrichment lowered precision on ${lowered.join(', ')}.**`}${missing.length > 0 ? ` Not measured yet: ${missing.join(', ')}.` : ''}

${table}`,
    );
  };
  try {
    const queue = sets.map((set, i) => ({ set, i })).sort((a, b) => recordCount(a.set) - recordCount(b.set));
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const off = (await runOne(adminUrl, next.set, next.i, { learn: true, enrich: 'off' })).row;
        const on = (await runOne(adminUrl, next.set, next.i, { learn: true, enrich: enrichedWith })).row;
        pairs[next.i] = { off, on };
        for (const row of [off, on])
          console.log(
            `${row.name.padEnd(44)} ${row.model.padEnd(48)} P ${f(row.precision)}  R ${f(row.recall)}  F1 ${f(row.f1)}  review ${(row.review * 100).toFixed(2)}%  blocking ${f(row.blocking)}`,
          );
        write();
      }
    };
    await Promise.all(Array.from({ length: lanes }, lane));
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log('written to docs/benchmarks.md');
}

/**
 * Each set, defaults and learned model, without and then with encryption at rest: the figures and
 * every record's decision compared. One run at a time: the field cipher is installed per thread,
 * and an engine started without a key uninstalls it.
 */
async function measureEncryption() {
  const server = await adminPostgres();
  const adminUrl = server.url;
  const sets = labelledDatasets()
    .filter((s) => selected(s.name) && recordCount(s) <= maxRecords)
    .sort((a, b) => recordCount(a) - recordCount(b));
  const skipped = labelledDatasets()
    .filter((s) => !sets.some((run) => run.name === s.name))
    .map((s) => s.name);
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  const loadBefore = load();
  const lines: string[] = [];
  let differing = 0;
  try {
    for (const [i, set] of sets.entries()) {
      for (const learn of [false, true]) {
        const off = await runOne(adminUrl, set, i, { learn });
        const on = await runOne(adminUrl, set, i, { learn, encrypt: true });
        if (on.dataKeys === 0 || off.dataKeys > 0 || off.sealedRecords > 0)
          throw new Error(`${set.name}: encryption was not on in the one run and off in the other`);
        const changed = [...off.decisions].filter(([id, d]) => on.decisions.get(id) !== d).length;
        differing += changed;
        const same = (a: number, b: number) => (f(a) === f(b) ? f(a) : `${f(a)} / **${f(b)}**`);
        const line = `| ${learn ? '' : set.name} | ${off.row.model} | ${off.row.records} | ${same(off.row.precision, on.row.precision)} | ${same(off.row.recall, on.row.recall)} | ${same(off.row.f1, on.row.f1)} | ${(off.row.review * 100).toFixed(2)}% / ${(on.row.review * 100).toFixed(2)}% | ${f(off.row.blocking)} / ${f(on.row.blocking)} | ${on.sealedRecords} | ${changed === 0 ? 'none' : `**${changed}**`} |`;
        lines.push(line);
        console.log(
          `${set.name.padEnd(36)} ${off.row.model.padEnd(22)} F1 off ${f(off.row.f1)} on ${f(on.row.f1)}  decisions differing ${changed}  sealed ${on.sealedRecords}`,
        );
      }
    }
  } finally {
    await server.stop();
  }
  writeBenchmarkSection(
    'Accuracy with encryption at rest (npm run bench:accuracy -- --encryption)',
    `${machineLine()}, load average ${loadBefore} at the start and ${load()} at the end (1, 5, 15 minutes; the machine is shared, which changes no figure here). Each labelled set${skipped.length > 0 ? ` (not run here, for time: ${skipped.join(', ')})` : ''} through the real engine as in the
accuracy table (one partition, file order, a fresh database each), with the defaults and with the
model learned from the file, once without encryption and once with NEXUS_ENCRYPTION_KEY set
(national ids, phones, emails and faces sealed, identifier blocking keys as blind indexes:
docs/decisions/0049-encryption-at-rest.md). A cell shows one figure when both runs agree to the
fourth decimal, "off / **on**" otherwise. "sealed" counts the records whose stored payload holds
sealed values in the encrypted run (0 for a set without national ids, phones or emails; the bench
stops unless the encrypted run's database holds data keys and the other none); "decisions differing" compares
every record's status and golden record (named by the smallest external id among its members)
between the two runs. ${differing === 0 ? 'No decision differs: the accuracy is unchanged with encryption on.' : `**${differing} decisions differ.**`}

| data | model | records | precision | recall | F1 | review share off / on | blocking recall off / on | sealed | decisions differing |
|---|---|---|---|---|---|---|---|---|---|
${lines.join('\n')}`,
  );
  console.log('written to docs/benchmarks.md');
}

await main();
