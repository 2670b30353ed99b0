import type { Command } from 'commander';
import { createDb, migrateToLatest } from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';
import { retrainModel } from '../training/retraining';
import { retrainSettings } from '../training/retrainSettings';

/**
 * `nexus retrain`: what the server does by itself when its register has grown, on demand: train,
 * check against the held-back sample, and activate only if not worse (unlike `nexus train`,
 * which activates unchecked). Prints the verdict, then one JSON line.
 */
export function registerRetrain(program: Command): void {
  program
    .command('retrain')
    .description(
      'retrain the model as the server does by itself: it becomes active only if it is not worse than the active model on the held-back sample',
    )
    .option('--database-url <url>', 'Postgres (default: DATABASE_URL or the embedded one)')
    .action(async (opts: { databaseUrl?: string }) => {
      const config = loadConfig();
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 3, applicationName: 'nexus-retrain' });
      try {
        await migrateToLatest(db);
        const started = performance.now();
        const report = await retrainModel(db, {
          trigger: 'on_demand',
          actor: 'nexus retrain',
          settings: retrainSettings(config),
        });
        process.stdout.write(
          `version ${report.versionId} (${report.version}) ${report.accepted ? 'is active' : `rejected; version ${report.comparedWith} stays active`}: ${report.check.reason}\n`,
        );
        process.stdout.write(
          `${JSON.stringify({
            version: report.versionId,
            accepted: report.accepted,
            compared_with: report.comparedWith,
            records: report.recordCount,
            held_back_cases: report.check.candidate.cases,
            reviewer_verdicts: report.check.candidate.reviewer.cases,
            right: report.check.candidate.right,
            right_active: report.check.active.right,
            false_links: report.check.candidate.falseLinks,
            false_links_active: report.check.active.falseLinks,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          })}\n`,
        );
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
