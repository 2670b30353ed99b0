import { InvalidArgumentError, type Command } from 'commander';
import { createDb } from '@nexus/actors';
import { formatModelComparison } from '@nexus/matching';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';
import { DEFAULT_MAX_PAIRS, DEFAULT_SAMPLE, trainFromDatabase } from '../training/trainFromDatabase';

interface TrainCliOptions {
  databaseUrl?: string;
  sample: number;
  maxPairs: number;
  maxIterations?: number;
  seed: number;
  activate: boolean;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description(
      're-estimate the matching model from the decided records, without labels (u from random pairs, m by EM), and store it as a new version',
    )
    .option('--database-url <url>', 'Postgres to train on (default: DATABASE_URL or the embedded one)')
    .option(
      '--sample <n>',
      'records drawn at random for u and term frequencies',
      positiveInteger,
      DEFAULT_SAMPLE,
    )
    .option(
      '--max-pairs <n>',
      'pairs sharing a blocking key drawn at random for EM',
      positiveInteger,
      DEFAULT_MAX_PAIRS,
    )
    .option('--max-iterations <n>', 'EM iterations at most (default 100)', positiveInteger)
    .option('--seed <n>', 'seed of the random samples', positiveInteger, 1)
    .option('--activate', 'make the new version the active one (default)', true)
    .option('--no-activate', 'store the new version without activating it')
    .action(async (opts: TrainCliOptions) => {
      const config = loadConfig();
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-train' });
      try {
        const started = performance.now();
        const outcome = await trainFromDatabase(db, {
          sample: opts.sample,
          maxPairs: opts.maxPairs,
          maxIterations: opts.maxIterations,
          seed: opts.seed,
          activate: opts.activate,
        });
        const { result } = outcome;
        const out = process.stdout;
        out.write(`${formatModelComparison(outcome.before.params, result.model)}\n\n`);
        out.write(
          `old: version ${outcome.before.versionId} (${outcome.before.params.version}); ` +
            `new: version ${outcome.versionId} (${result.model.version})${outcome.activated ? ', active' : ', not activated'}\n`,
        );
        out.write(
          `EM: ${result.iterations} iterations, ${result.converged ? 'converged' : 'NOT converged (raise --max-iterations)'}; ` +
            `${result.blockedPairs} of ${result.blockedPairsTotal} blocked pairs, ${result.randomPairs} random pairs ` +
            `of ${outcome.sample} sampled records (${outcome.recordsTotal} decided)\n`,
        );
        if (outcome.activated) out.write('running workers switch to it within a few seconds\n');
        out.write(
          `${JSON.stringify({
            version: outcome.versionId,
            active: outcome.activated,
            previous_version: outcome.before.versionId,
            records: outcome.recordsTotal,
            sample: outcome.sample,
            random_pairs: result.randomPairs,
            blocked_pairs: result.blockedPairs,
            blocked_pairs_total: result.blockedPairsTotal,
            iterations: result.iterations,
            converged: result.converged,
            match_probability: result.model.matchProbability,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          })}\n`,
        );
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
