import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { PostgresBinaries } from './binaries';
import { OWNER_FILE } from './leftOverServer';
import type { SystemUser } from './systemUser';
import { PostgresStartError } from './startError';

/** The superuser of embedded clusters. */
export const SUPERUSER = 'nexus';
const READY = 'database system is ready to accept connections';

/** The last lines Postgres wrote, for the message when it fails. */
export class LogTail {
  private readonly lines: string[] = [];
  add(chunk: string): void {
    for (const line of chunk.split('\n')) if (line.trim()) this.lines.push(line.trim());
    this.lines.splice(0, Math.max(0, this.lines.length - 20));
  }
  /** The most telling line: the last FATAL / ERROR / PANIC, else the last one. */
  reason(): string {
    const bad = [...this.lines]
      .reverse()
      .find((l) => /\b(FATAL|PANIC|ERROR)\b|error|cannot|could not/i.test(l));
    return bad ?? this.lines.at(-1) ?? 'no output';
  }
}

/**
 * The environment Postgres gets: the locale and PATH, nothing else. The server's own secrets
 * (NEXUS_SECRET_KEY, NEXUS_ADMIN_PASSWORD, ...) never reach a process of another user.
 */
function postgresEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_MESSAGES: 'C' };
  for (const name of ['LANG', 'LC_ALL', 'LC_CTYPE', 'LC_COLLATE', 'TZ', 'SYSTEMROOT']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function spawnAs(
  user: SystemUser | undefined,
  file: string,
  args: string[],
  detached: boolean,
): ChildProcess {
  return spawn(file, args, {
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    env: postgresEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
    // A kept cluster's server gets its own process group: a Ctrl-C at the terminal reaches
    // Nexus, which drains the engine and then stops Postgres, instead of Postgres going first
    // under the engine's feet (if Nexus dies instead, the next start stops it). A throw-away
    // cluster's server stays in ours, so a Ctrl-C of `nexus dedupe` or a test run ends it too.
    detached,
  });
}

function failure(what: string, error: unknown): PostgresStartError {
  const text = error instanceof Error ? error.message : String(error);
  return new PostgresStartError(`${what}: ${text}`, { cause: error });
}

/** Creates the cluster in the empty folder `dir` with the superuser `nexus` and its password. */
export async function initCluster(
  binaries: PostgresBinaries,
  dir: string,
  user: SystemUser | undefined,
  password: string,
): Promise<void> {
  // initdb reads the password from a file: private to the user it runs as, and gone afterwards.
  const pwfile = path.join(path.dirname(dir), `.${path.basename(dir)}.pw-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) await fs.chown(pwfile, user.uid, user.gid);
    const tail = new LogTail();
    const child = spawnAs(
      user,
      binaries.initdb,
      [
        `--pgdata=${dir}`,
        `--username=${SUPERUSER}`,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--lc-messages=C',
        '--no-instructions',
      ],
      false,
    );
    child.stdout?.on('data', (d: Buffer) => tail.add(d.toString()));
    child.stderr?.on('data', (d: Buffer) => tail.add(d.toString()));
    await new Promise<void>((resolve, reject) => {
      child.once('error', (error) =>
        reject(failure(`the embedded Postgres could not create its database in ${dir}`, error)),
      );
      child.once('close', (code) =>
        code === 0
          ? resolve()
          : reject(
              new PostgresStartError(
                `the embedded Postgres could not create its database in ${dir}: ${tail.reason()}`,
              ),
            ),
      );
    });
  } finally {
    await fs.rm(pwfile, { force: true });
  }
}

export interface RunningServer {
  /** Stops the server (fast shutdown: open sessions are ended) and waits for it. */
  stop(): Promise<void>;
}

/** Runs Postgres on `dir` at 127.0.0.1:`port` until it says it accepts connections. */
export async function runServer(
  binaries: PostgresBinaries,
  dir: string,
  user: SystemUser | undefined,
  port: number,
  flags: string[],
  ownProcessGroup: boolean,
): Promise<RunningServer> {
  const tail = new LogTail();
  const child = spawnAs(
    user,
    binaries.postgres,
    ['-D', dir, '-p', String(port), '-c', 'lc_messages=C', ...flags],
    ownProcessGroup,
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      tail.add(text);
      if (text.includes(READY)) resolve();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('error', (error) => reject(failure(`the embedded Postgres did not start on ${dir}`, error)));
    child.once('close', (code, signal) =>
      reject(
        new PostgresStartError(
          `the embedded Postgres on ${dir} stopped (${signal ?? `exit code ${code}`}) while starting: ${tail.reason()}`,
        ),
      ),
    );
  });
  // Keep reading its output so that it never blocks on a full pipe; only the tail is kept.
  child.stderr?.removeAllListeners('data').on('data', (d: Buffer) => tail.add(d.toString()));
  child.stdout?.removeAllListeners('data').on('data', (d: Buffer) => tail.add(d.toString()));
  await fs.writeFile(path.join(dir, OWNER_FILE), `${process.pid}\n`);
  let stopping: Promise<void> | undefined;
  return {
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
        await exited;
        await fs.rm(path.join(dir, OWNER_FILE), { force: true });
      })()),
  };
}
