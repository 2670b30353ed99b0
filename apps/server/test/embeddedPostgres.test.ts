import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { installedPackage } from '../src/db/embedded/binaries';
import { gone } from '../src/db/embedded/leftOverServer';
import { startEmbeddedPostgres, type PostgresHandle } from '../src/db/postgres';

const run = promisify(execFile);
const NEXUS = path.resolve(import.meta.dirname, '../bin/nexus.mjs');
const asRoot = process.getuid?.() === 0;
const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
};
const started: PostgresHandle[] = [];
const relocated: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((h) => h.stop()));
  for (const dir of [...relocated, ...temporary]) fs.rmSync(dir, { recursive: true, force: true });
});

/** The cluster behind a data folder's `postgres` (a symlink when it had to live elsewhere). */
function clusterOf(dataDir: string): string {
  const link = path.join(dataDir, 'postgres');
  if (!fs.lstatSync(link).isSymbolicLink()) return link;
  const target = fs.realpathSync(link);
  relocated.push(target);
  return target;
}

async function signIn(url: string, password: string): Promise<string> {
  const u = new URL(url);
  const client = new pg.Client({
    host: u.hostname,
    port: Number(u.port),
    user: 'nexus',
    password,
    database: 'postgres',
  });
  try {
    await client.connect();
    return 'accepted';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function kept(dataDir: string): Promise<PostgresHandle> {
  const handle = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    persistent: true,
    passwordFile: path.join(dataDir, 'postgres-password'),
  });
  started.push(handle);
  return handle;
}

async function stop(handle: PostgresHandle): Promise<void> {
  await handle.stop();
  started.splice(started.indexOf(handle), 1);
}

/** Finding 5 of issue 11: the embedded superuser was nexus/nexus, on 127.0.0.1, for any local user. */
describe('the embedded superuser', () => {
  it('has a password generated at the first start, kept 0600 in the data folder; nexus/nexus is refused', async () => {
    const dataDir = tempDir('nexus-pw-');
    const handle = await kept(dataDir);
    const file = path.join(dataDir, 'postgres-password');
    const password = fs.readFileSync(file, 'utf8').trim();
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(password.length).toBeGreaterThanOrEqual(32);
    expect(decodeURIComponent(new URL(handle.url).password)).toBe(password);
    expect(await signIn(handle.url, password)).toBe('accepted');
    expect(await signIn(handle.url, 'nexus')).toBe('28P01'); // invalid_password
    clusterOf(dataDir);
    await stop(handle);
  });

  it('moves a cluster made with nexus/nexus to a generated password on its next start', async () => {
    const dataDir = tempDir('nexus-pw-');
    const before = await kept(dataDir);
    // What a data folder of an earlier version looks like: nexus/nexus, no password file.
    const client = new pg.Client({ connectionString: before.url });
    await client.connect();
    await client.query(`alter role nexus password 'nexus'`);
    await client.end();
    await stop(before);
    fs.rmSync(path.join(dataDir, 'postgres-password'));

    const after = await kept(dataDir);
    const password = fs.readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
    expect(password).not.toBe('nexus');
    expect(await signIn(after.url, password)).toBe('accepted');
    expect(await signIn(after.url, 'nexus')).toBe('28P01');
    clusterOf(dataDir);
    await stop(after);
  });

  it('refuses to share a cluster that a running Nexus uses, and says so', async () => {
    const dataDir = tempDir('nexus-busy-');
    const first = await kept(dataDir);
    await expect(kept(dataDir)).rejects.toThrow(`is in use by Nexus process ${process.pid}: stop it first`);
    clusterOf(dataDir);
    await stop(first);
  });
});

function startServer(dataDir: string): { child: ChildProcess; output: () => string; running: Promise<void> } {
  const child = spawn(process.execPath, [NEXUS, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      NEXUS_DATA_DIR: dataDir,
      PORT: '0',
      NEXUS_PARTITIONS: '2',
      NEXUS_WORKERS: '1',
      NEXUS_ADMIN_PASSWORD: 'admin-password-for-tests',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const running = new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.includes('Nexus is running at')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`nexus start ended (${code ?? signal}) before running:\n${output}`)),
    );
  });
  return { child, output: () => output, running };
}

function postmasterPid(cluster: string): number {
  return Number(fs.readFileSync(path.join(cluster, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Finding 10 of issue 11: after kill -9 of the server, its Postgres ran on and the next start refused the folder. */
describe('a server killed with kill -9', () => {
  it('leaves its Postgres running, and the next start stops that one and starts', async () => {
    const dataDir = tempDir('nexus-kill9-');
    const first = startServer(dataDir);
    await first.running;
    const cluster = clusterOf(dataDir);
    const leftOver = postmasterPid(cluster);
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    expect(alive(leftOver)).toBe(true);

    const second = startServer(dataDir);
    await second.running;
    expect(second.output()).toContain(
      `stopping the embedded Postgres (process ${leftOver}) that a killed Nexus left running`,
    );
    // Stopped: gone, or a zombie that its new parent (PID 1 in a container) has not reaped.
    expect(await gone(leftOver)).toBe(true);
    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', r));
    expect(code).toBe(0);
    expect(fs.existsSync(path.join(cluster, 'postmaster.pid'))).toBe(false);
  }, 240_000);
});

/** Finding 10 of issue 11: as root, a clone in /root (0700) crashed with `spawn ... initdb EACCES`. */
describe('a data folder and binaries in a folder other users cannot enter', () => {
  it('nexus migrate works, and says where the database went when the postgres user cannot reach it', async () => {
    const privateDir = tempDir('nexus-private-');
    fs.chmodSync(privateDir, 0o700);
    const dataDir = path.join(privateDir, 'clone', '.data');
    const { stderr } = await run(process.execPath, [NEXUS, 'migrate'], {
      env: { ...process.env, DATABASE_URL: '', NEXUS_DATA_DIR: dataDir },
    });
    const cluster = clusterOf(dataDir);
    expect(fs.existsSync(path.join(cluster, 'PG_VERSION'))).toBe(true);
    if (asRoot) {
      expect(cluster.startsWith('/var/lib/nexus/clusters/')).toBe(true);
      expect(stderr).toContain(
        `the postgres user cannot enter ${privateDir}: the embedded database lives in ${cluster} (${path.join(dataDir, 'postgres')} points there)`,
      );
    }
  }, 120_000);

  it('runs the binaries from a root-owned copy when the installed ones are out of reach', async () => {
    const privateDir = tempDir('nexus-private-');
    fs.chmodSync(privateDir, 0o700);
    const installed = installedPackage();
    const unreachable = path.join(privateDir, 'linux-x64');
    fs.symlinkSync(installed, unreachable);
    const handle = await startEmbeddedPostgres({
      dataDir: tempDir('nexus-copy-pg-'),
      persistent: false,
      binariesPackage: unreachable,
    });
    started.push(handle);
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    const { rows } = await client.query<{ setting: string }>(
      `select setting from pg_settings where name = 'data_directory'`,
    );
    await client.end();
    expect(rows[0]?.setting).toBeTruthy();
    await stop(handle);
  }, 120_000);
});

describe('a start that cannot succeed', () => {
  it('ends in one sentence on stderr, with what to do, never a stack', async () => {
    const dataDir = tempDir('nexus-gone-');
    fs.symlinkSync(path.join(dataDir, 'moved-away'), path.join(dataDir, 'postgres'));
    const failed = await run(process.execPath, [NEXUS, 'migrate'], {
      env: { ...process.env, DATABASE_URL: '', NEXUS_DATA_DIR: dataDir },
    }).then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    const lines = failed!.stderr.trim().split('\n');
    expect(lines).toEqual([
      `nexus: ${path.join(dataDir, 'postgres')} points to the embedded database in ${path.join(dataDir, 'moved-away')}, which is gone: remove ${path.join(dataDir, 'postgres')} to start with an empty database [DB.START_FAILED]`,
    ]);
  });
});
