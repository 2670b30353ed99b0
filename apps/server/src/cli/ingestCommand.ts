import fs from 'node:fs';
import type { Command } from 'commander';
import type { IngestProgress } from '../ingest/ingestFile';
import { ProgressLine } from './progressLine';

interface IngestOptions {
  url: string;
  token: string;
  source?: string;
  map?: string;
  wait?: boolean;
  batchSize?: string;
  batchBytes?: string;
  quiet?: boolean;
}

const MAX_PROBLEMS_SHOWN = 20;

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description(
      'send a record file to a running server as batches (path A); safe to re-run: known records are skipped',
    )
    .argument('<file>', 'CSV (any delimiter, header row) or NDJSON file of canonical records')
    .requiredOption('--url <url>', 'the server, e.g. http://127.0.0.1:3000')
    .requiredOption(
      '--token <token>',
      'an access token (POST /api/v1/auth/login) or a service account API key',
    )
    .option('--source <name>', 'source of the records (default: the file name without extension)')
    .option('--map <col=field,...>', 'rename input columns to canonical fields, e.g. rec_id=external_id')
    .option('--batch-size <n>', 'records per batch (default 1000, at most 10000)')
    .option(
      '--batch-bytes <n>',
      'bytes of records per batch at most (default 8388608; faces make records large)',
    )
    .option('--wait', 'wait until the server has decided every record, then print the counts')
    .option('--quiet', 'no progress bar')
    .action(async (file: string, opts: IngestOptions) => {
      // Loaded here, not at start: other commands do not pay for the client.
      const [{ createNexusClient }, { parseColumnMap }, { ingestFile }] = await Promise.all([
        import('@nexus/client'),
        import('../files'),
        import('../ingest/ingestFile'),
      ]);
      const progress = new ProgressLine(process.stderr, !opts.quiet);
      const total = progress.enabled ? await countLines(file) : 0;
      let shown = 0;
      let hidden = 0;
      const client = createNexusClient(opts.url, opts.token);
      const abort = new AbortController();
      const onSignal = () => abort.abort();
      process.once('SIGINT', onSignal);
      try {
        const summary = await ingestFile(client, file, {
          source: opts.source,
          map: opts.map ? parseColumnMap(opts.map) : undefined,
          batchSize: opts.batchSize ? Number(opts.batchSize) : undefined,
          batchBytes: opts.batchBytes ? Number(opts.batchBytes) : undefined,
          wait: opts.wait,
          signal: abort.signal,
          onProblem: (p) => {
            if (shown >= MAX_PROBLEMS_SHOWN) return void hidden++;
            shown++;
            const what = p.errors.map((e) => `${e.field} ${e.message}`).join('; ');
            progress.log(`${file}:${p.line}: ${p.severity === 'error' ? 'skipped' : 'warning'}: ${what}`);
          },
          onProgress: (p) => progress.update(bar(p, total)),
        });
        progress.done();
        if (hidden > 0) process.stderr.write(`... and ${hidden} more rows with problems\n`);
        process.stdout.write(`${JSON.stringify(summary)}\n`);
      } finally {
        process.off('SIGINT', onSignal);
        progress.done();
        await client.close();
      }
    });
}

/** `[#########-----------]  45%  4,500/10,000 sent` */
export function bar(p: IngestProgress, totalLines: number): string {
  const [done, of, label] =
    p.phase === 'sending'
      ? [p.read, Math.max(totalLines - 1, p.read), 'read and sent']
      : [p.decided, p.stored, 'decided'];
  const ratio = of > 0 ? Math.min(1, done / of) : 1;
  const width = 24;
  const filled = Math.round(ratio * width);
  const n = (x: number) => x.toLocaleString('en');
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%  ${n(done)}/${n(of)} ${label}`;
}

/** Lines in the file (an estimate of its records for the progress bar), counted without holding it in memory. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}
