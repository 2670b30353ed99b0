import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider, type Database } from '@nexus/schema';
import { DecryptingPlugin } from '../privacy/decryptingPlugin';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** Connections in this pool; each worker thread and the main thread have their own pool. */
  maxConnections?: number;
  applicationName?: string;
}

export function createDb(databaseUrl: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'nexus',
  });
  // A client that loses its server (restart, kill, a forced drop) must not crash the process: the
  // pool listens on idle ones only, and one checked out but between queries (a transaction, a
  // session that holds an advisory lock) would emit 'error' to nobody. Its next query fails instead.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Values encrypted at rest come back opened (a no-op while encryption is off).
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), plugins: [new DecryptingPlugin()] });
}

export class MigrationError extends Error {
  readonly code = 'DB.MIGRATION_FAILED';
}

/** Brings the schema to the latest migration; safe to run from several processes at once. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations are typed against no schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Unordered: migrations written in parallel land out of name order (0006 before 0003), and a
  // database that already ran a later one must still get an earlier newcomer. Each is independent.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new MigrationError(`database migration failed: ${String((error as Error).message ?? error)}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
