import type { Command } from 'commander';
import { createDb, migrateToLatest } from '@nexus/actors';
import { isCalendarDay } from '../analytics/days';
import { rollupZones } from '../analytics/analyticsService';
import { analyticsSettings } from '../analytics/analyticsSettings';
import { rollupDays } from '../analytics/rollupService';
import { ROLLUP_TABLES } from '../analytics/rollupStatements';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';

/** `nexus rollup --from DATE --to DATE`: backfills or repairs the daily rollups of a range, any length. */
export function registerRollup(program: Command): void {
  program
    .command('rollup')
    .description('compute the daily rollups of a range of days again (UTC and NEXUS_ANALYTICS_TIME_ZONE)')
    .requiredOption('--from <day>', 'first day, YYYY-MM-DD')
    .option('--to <day>', 'last day, YYYY-MM-DD (default: --from)')
    .option('--database-url <url>', 'Postgres (default: DATABASE_URL or the embedded one)')
    .action(async (opts: { from: string; to?: string; databaseUrl?: string }) => {
      const to = opts.to ?? opts.from;
      for (const [name, day] of [
        ['--from', opts.from],
        ['--to', to],
      ] as const) {
        if (!isCalendarDay(day)) throw new Error(`${name} ${day} is not a calendar day written YYYY-MM-DD`);
      }
      if (opts.from > to) throw new Error(`--from ${opts.from} is after --to ${to}`);
      const config = loadConfig();
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-rollup' });
      try {
        await migrateToLatest(db);
        const zones = rollupZones(analyticsSettings(config));
        const report = await rollupDays(
          db,
          { zones, from: opts.from, to, trigger: 'command' },
          (zone, from, last, counts) => {
            const parts = ROLLUP_TABLES.map(
              (t) => `${t} ${counts[t].written} written, ${counts[t].deleted} deleted`,
            );
            process.stdout.write(`${zone} ${from}..${last}: ${parts.join('; ')}\n`);
          },
        );
        process.stdout.write(
          `${JSON.stringify({
            zones: report.zones,
            from: report.from,
            to: report.to,
            rows_written: report.rowsWritten,
            rows_deleted: report.rowsDeleted,
            seconds: report.durationMs / 1000,
          })}\n`,
        );
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
