import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify';
import {
  createDb,
  createEnricher,
  decideStoredRecords,
  loadActiveModel,
  migrateToLatest,
} from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres, startEmbeddedPostgres } from '../db/postgres';
import { exportClusters } from '../dedupe/exportClusters';
import { enrichmentConfig } from '../enrichment/enrichmentConfig';
import { learnFromInput } from '../dedupe/learnFromInput';
import { loadRecords, waitForDecisions, type DedupeSummary, type RowProblem } from '../dedupe/runDedupe';
import { resolveTech5 } from '../biometrics/tech5';
import { startEngine } from '../engine/engine';
import { parseColumnMap } from '../files';
import { ShutdownRegistry } from '../lifecycle/shutdown';
import { PhaseClock } from './phaseClock';
import { ProgressLine } from './progressLine';

interface DedupeOptions {
  source?: string;
  map?: string;
  out?: string;
  databaseUrl?: string;
  quiet?: boolean;
  stream?: boolean;
}

const MAX_PROBLEMS_SHOWN = 20;

function progressText(read: number, decided: number, stored: number, started: number): string {
  const share = stored === 0 ? 0 : Math.min(1, decided / stored);
  const width = 24;
  const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
  const rate = decided / Math.max(0.001, (performance.now() - started) / 1000);
  return `[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  decided ${decided}/${stored}  read ${read}  ${rate.toFixed(0)} records/s`;
}

export function registerDedupe(program: Command): void {
  program
    .command('dedupe')
    .description('decide every record of the files on a fresh throw-away database; write clusters as CSV')
    .argument('<files...>', 'CSV (any delimiter, header row) or NDJSON files of canonical records')
    .option('--source <name>', 'source of the records (default: the file name without extension)')
    .option('--map <col=field,...>', 'rename input columns to canonical fields, e.g. rec_id=external_id')
    .option('--out <file>', 'write source,external_id,customer_id,decision rows here (default: stdout)')
    .option('--database-url <url>', 'use this Postgres instead of a throw-away embedded one')
    .option('--quiet', 'no progress line')
    .option(
      '--stream',
      "decide through the server's stream pipeline (relay, partition actors, worker threads) instead of the batch job; always so for a file with face images or with --database-url",
    )
    .action(async (files: string[], opts: DedupeOptions) => {
      const summary = await dedupe(files, opts);
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    });
}

async function dedupe(files: string[], opts: DedupeOptions): Promise<DedupeSummary> {
  const map = opts.map ? parseColumnMap(opts.map) : undefined;
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`${f}: no such file`);
  const config = loadConfig();
  const started = performance.now();
  const phases = new PhaseClock(started);
  const shutdown = new ShutdownRegistry();
  const progress = new ProgressLine(process.stderr, !opts.quiet);
  let shown = 0;
  let hidden = 0;
  const onProblem = (p: RowProblem) => {
    if (shown >= MAX_PROBLEMS_SHOWN) return void hidden++;
    shown++;
    const what = p.errors.map((e) => `${e.field} ${e.message}`).join('; ');
    progress.log(`${p.file}:${p.line}: ${p.severity === 'error' ? 'skipped' : 'warning'}: ${what}`);
  };
  try {
    const postgres = opts.databaseUrl
      ? await resolvePostgres(opts.databaseUrl, config.NEXUS_DATA_DIR)
      : await startEmbeddedPostgres({
          dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-dedupe-')),
          persistent: false,
          fast: true,
        });
    shutdown.register('postgres', () => postgres.stop());
    const db = createDb(postgres.url, { maxConnections: 10, applicationName: 'nexus-dedupe' });
    shutdown.register('database pool', () => db.destroy());
    await migrateToLatest(db);
    phases.lap('database');
    // The model is learned from the input before the first decision, so every record is decided
    // by it; meanwhile the file is stored, as the API stores a batch (Postgres works while the
    // learning keeps this thread busy). Nothing decides the stored records until a path below.
    const input = { files, source: opts.source, map };
    const onProgress = (p: { read: number; decided: number; stored: number }) =>
      progress.update(progressText(p.read, p.decided, p.stored, started));
    const [learned, loaded] = await Promise.all([
      learnFromInput(db, input, {
        defaultCountry: config.NEXUS_DEFAULT_COUNTRY,
        enrichment: enrichmentConfig(config),
      }),
      loadRecords(db, config.NEXUS_PARTITIONS, input, { onProblem, onProgress }),
    ]);
    if (!opts.quiet) process.stderr.write(`model: ${learned.description}\n`);
    phases.lap('learn and store');
    // The batch job needs the database to itself (a given one may have a server deciding in it,
    // and golden records the in-memory register would not know) and no Tech5 calls.
    const inBatch = !opts.stream && !opts.databaseUrl && loaded.faces === 0;
    if (inBatch) {
      // The batch job (docs/decisions/0045-dedupe-as-a-batch-job.md): this run owns the database
      // and the whole file, so it decides in file order in memory and writes set-based.
      await decideStoredRecords(db, loaded.batchIds, {
        model: await loadActiveModel(db),
        defaultCountry: config.NEXUS_DEFAULT_COUNTRY,
        enrichment: createEnricher(enrichmentConfig(config), {
          defaultCountry: config.NEXUS_DEFAULT_COUNTRY,
        }),
        onProgress: (decided) => onProgress({ read: loaded.read, stored: loaded.stored, decided }),
      });
    } else {
      const tech5 = await resolveTech5(config, shutdown, () => undefined);
      // A throw-away run: its own Postgres bus and candidates, never a shared Kafka topic or index.
      const local = { KAFKA_BROKERS: undefined, ELASTICSEARCH_URL: undefined };
      // Face files beside the input files are the operator's own: this run may read them.
      const faceDirs = files.map((f) => path.dirname(path.resolve(f)));
      const engine = await startEngine({ ...config, ...tech5, ...local }, db, postgres.url, { faceDirs });
      shutdown.register('engine', () => engine.stop());
      engine.changes.announce('records_stored');
      await waitForDecisions(db, loaded, onProgress);
    }
    phases.lap(inBatch ? 'decide (batch)' : 'decide (stream)');
    const { read, batchIds, invalid } = loaded;
    progress.done();
    if (hidden > 0) process.stderr.write(`... and ${hidden} more rows with problems\n`);

    const counts: DedupeSummary = {
      records: read,
      new: 0,
      linked: 0,
      review: 0,
      rejected: 0,
      dead_lettered: 0,
      seconds: 0,
      records_per_second: 0,
      model: learned.description,
    };
    const out = opts.out ? fs.createWriteStream(opts.out) : process.stdout;
    async function* rows() {
      yield ['source', 'external_id', 'customer_id', 'decision'];
      for await (const row of exportClusters(db, batchIds)) {
        if (row.decision in counts) counts[row.decision as 'new']++;
        yield [row.source, row.external_id, row.customer_id, row.decision];
      }
      // Every input row has a row here: one rejected before it was stored too (its external_id
      // as written, empty when the row had none).
      for (const bad of invalid) {
        counts.rejected++;
        yield [bad.source, bad.externalId ?? '', '', 'rejected'];
      }
    }
    await pipeline(Readable.from(rows()), stringify(), out, { end: out !== process.stdout });
    phases.lap('export');
    if (!opts.quiet) process.stderr.write(`seconds: ${phases.text()}\n`);
    counts.seconds = Number(((performance.now() - started) / 1000).toFixed(2));
    counts.records_per_second = Number((read / Math.max(counts.seconds, 0.001)).toFixed(1));
    return counts;
  } finally {
    progress.done();
    await shutdown.shutdown();
  }
}
