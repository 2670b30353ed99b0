import type { Command } from 'commander';
import { createDb, migrateToLatest } from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema to the latest migration (DATABASE_URL, or the embedded database)')
    .option('--database-url <url>', 'Postgres to migrate (default: DATABASE_URL or the embedded one)')
    .action(async (opts: { databaseUrl?: string }) => {
      const config = loadConfig();
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2 });
      try {
        const applied = await migrateToLatest(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
