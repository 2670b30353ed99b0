// npm run bench:dedupe [-- --file=PATH --truth=PATH] — `nexus dedupe` beside JedAI 3.1 on the same
// file in the same run: the wall time of each whole command (start to exit: reading, learning or
// blocking, deciding, writing the clusters), records/s, and pairwise precision/recall/F1 of
// both against the truth, scored as bench:accuracy scores. JedAI is the batch entity-resolution
// toolkit (Maven Central org.scify:jedai-core:3.1) run by bench/jedai/ with its standard
// schema-agnostic workflow, in memory; it is built once before the clock starts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pairwiseScores } from '@nexus/matching';
import { firstFile, labelledDatasets, readTruth } from './datasets';
import { machineLine, writeBenchmarkSection } from './report';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');
const jedaiDir = path.join(repo, 'bench/jedai');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

interface Measured {
  tool: string;
  records: number;
  seconds: number;
  precision: number;
  recall: number;
  f1: number;
  largest: string;
  note: string;
}

/** Scores a `external_id -> cluster` map (no cluster: a record linked to nobody). */
function score(truthFile: string, predicted: Map<string, string | undefined>) {
  const truth = [...readTruth(truthFile)];
  const s = pairwiseScores(
    truth.map(([, entity]) => entity),
    truth.map(([record]) => predicted.get(record)),
  );
  return {
    precision: s.precision,
    recall: s.recall,
    f1: s.f1,
    largest: `${s.largestCluster} / ${s.largestTrueCluster}`,
  };
}

function readClusters(
  file: string,
  idColumn: number,
  clusterColumn: number,
): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const line of fs.readFileSync(file, 'utf8').trim().split(/\r?\n/).slice(1)) {
    const cells = line.split(',');
    const cluster = cells[clusterColumn] ?? '';
    out.set(cells[idColumn] ?? '', cluster === '' ? undefined : cluster);
  }
  return out;
}

async function buildJedai(): Promise<string[]> {
  await run(
    'mvn',
    ['-q', '-B', 'package', 'dependency:build-classpath', '-Dmdep.outputFile=target/classpath.txt'],
    {
      cwd: jedaiDir,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const classpath = fs.readFileSync(path.join(jedaiDir, 'target/classpath.txt'), 'utf8').trim();
  return [
    '-cp',
    `${path.join(jedaiDir, 'target/classes')}${path.delimiter}${classpath}`,
    'nexus.bench.JedaiDedupe',
  ];
}

async function runJedai(command: string[], file: string, truth: string, out: string): Promise<Measured> {
  const started = performance.now();
  const { stdout } = await run('java', [...command, file, out], { maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    records: number;
    comparisons: number;
  };
  return {
    tool: 'JedAI 3.1',
    records: summary.records,
    seconds,
    ...score(truth, readClusters(out, 0, 1)),
    note: `token blocking, block purging and filtering, cardinality node pruning, TF-IDF cosine (${summary.comparisons} comparisons), connected components at 0.5`,
  };
}

async function runNexus(file: string, truth: string, out: string): Promise<Measured> {
  const started = performance.now();
  const { stdout } = await run(
    process.execPath,
    [path.join(repo, 'apps/server/bin/nexus.mjs'), 'dedupe', file, '--out', out, '--quiet'],
    { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
  );
  const seconds = (performance.now() - started) / 1000;
  const summary = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    records: number;
    review: number;
    model: string;
  };
  return {
    tool: 'nexus dedupe',
    records: summary.records,
    seconds,
    ...score(truth, readClusters(out, 1, 2)),
    note: `defaults, its own embedded Postgres; ${summary.review} records left in review (linked to nobody); model ${summary.model}`,
  };
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
}

async function main() {
  const historical = labelledDatasets().find((s) => s.name === 'historical_dev');
  if (!historical) throw new Error('the labelled sets have no historical_dev');
  const file = arg('file') ?? firstFile(historical);
  const truth = arg('truth') ?? historical.truth;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-dedupe-'));
  try {
    const jedai = await buildJedai();
    const loadBefore = loadAverage();
    // JedAI first, then Nexus; each alone on the machine as far as this run goes.
    const rows = [
      await runJedai(jedai, file, truth, path.join(dir, 'jedai.csv')),
      await runNexus(file, truth, path.join(dir, 'nexus.csv')),
    ];
    const loadAfter = loadAverage();
    const rate = (r: Measured) => r.records / r.seconds;
    const f = (n: number) => n.toFixed(4);
    for (const r of rows)
      console.log(
        `${r.tool.padEnd(13)} ${r.records} records  ${r.seconds.toFixed(1)} s  ${rate(r).toFixed(0)} records/s  P ${f(r.precision)}  R ${f(r.recall)}  F1 ${f(r.f1)}  largest ${r.largest}`,
      );
    const [j, n] = rows as [Measured, Measured];
    const ratio = rate(n) / rate(j);
    console.log(`nexus dedupe / JedAI records/s: ${ratio.toFixed(2)}x`);
    writeBenchmarkSection(
      '`nexus dedupe` beside JedAI (npm run bench:dedupe)',
      `${machineLine()}; load average (1, 5, 15 min) ${loadBefore} before, ${loadAfter} after. Both
tools on \`${path.basename(file)}\` (${n.records} records), one after the other in one run, each the
whole command timed from start to exit (JVM or Node start, reading, learning or blocking,
deciding, writing its clusters). Pairwise precision, recall and F1 over all pairs against the
truth, as bench:accuracy scores them (a record left in review is linked to nobody).
"largest" is the largest cluster against the largest true person (a chaining alarm).

| tool | records | seconds | records/s | precision | recall | F1 | largest | how |
|---|---|---|---|---|---|---|---|---|
${rows.map((r) => `| ${r.tool} | ${r.records} | ${r.seconds.toFixed(1)} | **${rate(r).toFixed(0)}** | ${f(r.precision)} | ${f(r.recall)} | **${f(r.f1)}** | ${r.largest} | ${r.note} |`).join('\n')}

\`nexus dedupe\` against JedAI, records/s: **${ratio.toFixed(2)}x** (goal >= 1.0x, with F1 and precision at
least JedAI's: F1 ${n.f1 >= j.f1 ? 'met' : '**missed**'}, precision ${n.precision >= j.precision ? 'met' : '**missed**'}).`,
    );
    console.log('written to docs/benchmarks.md');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
