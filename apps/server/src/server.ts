import { createDb, loadActiveModel, migrateToLatest, type Db } from '@nexus/actors';
import type { Config } from './config';
import { redact, resolvePostgres } from './db/postgres';
import { startEngine, type Engine } from './engine/engine';
import { startHttpServer, type RunningHttpServer } from './http/httpServer';
import { ShutdownRegistry } from './lifecycle/shutdown';

export interface RunningNexus {
  db: Db;
  databaseUrl: string;
  engine: Engine;
  http: RunningHttpServer;
  shutdown: ShutdownRegistry;
}

/**
 * `nexus start`: Postgres (given or embedded), migrations, the engine, the HTTP server. Pass the
 * registry in to be able to stop a start that is still under way (Ctrl-C while it starts).
 */
export async function startNexus(
  config: Config,
  log: (line: string) => void,
  shutdown = new ShutdownRegistry(),
): Promise<RunningNexus> {
  try {
    const postgres = await resolvePostgres(config.DATABASE_URL, config.NEXUS_DATA_DIR);
    shutdown.register('postgres', () => postgres.stop());
    log(
      postgres.embedded
        ? `database: embedded Postgres, data in ${config.NEXUS_DATA_DIR}`
        : `database: ${redact(postgres.url)}`,
    );
    const db = createDb(postgres.url, { maxConnections: 10, applicationName: 'nexus-server' });
    shutdown.register('database pool', () => db.destroy());
    await migrateToLatest(db);
    const model = await loadActiveModel(db);
    log(`matching model: version ${model.version}`);
    const engine = await startEngine(config, db, postgres.url);
    shutdown.register('engine', () => engine.stop());
    log(`engine: ${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker threads`);
    const http = await startHttpServer(db, engine, config.HOST, config.PORT);
    shutdown.register('http server', () => http.close());
    return { db, databaseUrl: postgres.url, engine, http, shutdown };
  } catch (error) {
    await shutdown.shutdown();
    throw error;
  }
}
