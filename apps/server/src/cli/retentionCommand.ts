import type { Command } from 'commander';
import { createDb, migrateToLatest } from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';
import { retentionSettings, runRetention } from '../privacy/retention';
import { required } from '@nexus/schema';

/** `nexus retention run [--dry-run]`: the daily retention job, by hand. */
export function registerRetention(program: Command): void {
  const retention = program
    .command('retention')
    .description('retention of personal data (NEXUS_RETENTION_*)');
  retention
    .command('run')
    .description('purge what is older than its NEXUS_RETENTION_* period now; --dry-run only counts it')
    .option('--dry-run', 'count what would be removed, remove nothing')
    .option('--database-url <url>', 'Postgres (default: DATABASE_URL or the embedded one)')
    .action(async (opts: { dryRun?: boolean; databaseUrl?: string }) => {
      const config = loadConfig();
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-retention' });
      try {
        await migrateToLatest(db);
        // Without mode 'try' the run waits for the lock, so it always reports.
        const report = required(
          await runRetention(db, retentionSettings(config), {
            dryRun: opts.dryRun === true,
            trigger: 'command',
          }),
          'nexus retention: the report of a run that waited for its lock',
        );
        process.stdout.write(
          `${JSON.stringify({
            dry_run: report.dryRun,
            settings: report.settings,
            removed: report.removed,
            seconds: report.durationMs / 1000,
          })}\n`,
        );
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
