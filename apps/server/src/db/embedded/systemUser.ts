import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PostgresStartError } from './startError';

const run = promisify(execFile);

/** Postgres refuses to run as root: as root, the embedded server runs as this system user. */
export const POSTGRES_USER = 'postgres';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

async function lookUp(name: string): Promise<SystemUser | undefined> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** undefined when not root (Postgres runs as the current user); as root the `postgres` user, created when missing. */
export async function postgresSystemUser(): Promise<SystemUser | undefined> {
  if (process.platform === 'win32' || os.userInfo().uid !== 0) return undefined;
  const found = await lookUp(POSTGRES_USER);
  if (found) return found;
  try {
    await run('groupadd', ['--system', POSTGRES_USER]).catch(async (error: unknown) => {
      // The group may exist without the user.
      if (
        !(await run('getent', ['group', POSTGRES_USER]).then(
          () => true,
          () => false,
        ))
      )
        throw error;
    });
    await run('useradd', [
      '--system',
      '--gid',
      POSTGRES_USER,
      '--no-create-home',
      '--shell',
      '/bin/false',
      POSTGRES_USER,
    ]);
  } catch (error) {
    throw new PostgresStartError(
      `as root the embedded Postgres runs as a "${POSTGRES_USER}" system user, and creating it failed ` +
        `(${firstLine(error)}): create it (useradd --system ${POSTGRES_USER}), run Nexus as another user, or set DATABASE_URL`,
      { cause: error },
    );
  }
  const created = await lookUp(POSTGRES_USER);
  if (!created)
    throw new PostgresStartError(`the "${POSTGRES_USER}" system user was created but cannot be found`);
  return created;
}

function firstLine(error: unknown): string {
  const text =
    error instanceof Error ? (error as { stderr?: string }).stderr || error.message : String(error);
  return text.trim().split('\n')[0] ?? '';
}

/** The nearest folder of `target` that exists (itself, or a parent). */
export function nearestExisting(target: string): string {
  let dir = path.resolve(target);
  while (!fs.existsSync(dir)) {
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return dir;
}

/**
 * Whether `user` can enter `dir` (every folder on the way searchable). Asked of the system itself,
 * as that user, so that ACLs and group membership count as they will for Postgres.
 */
export function canEnter(user: SystemUser | undefined, dir: string): boolean {
  if (!user) return true;
  const result = spawnSync('/bin/sh', ['-c', 'cd -- "$1"', 'nexus-can-enter', dir], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin' },
  });
  return result.status === 0;
}

/** Whether `user` can run `binary --version` (the binary and the libraries it loads are reachable). */
export function canRun(user: SystemUser | undefined, binary: string): boolean {
  const result = spawnSync(binary, ['--version'], {
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
    stdio: 'ignore',
    env: { PATH: '/usr/bin:/bin' },
  });
  return result.status === 0;
}

/** The first folder on the way to `dir` that `user` cannot enter (for messages); `dir` itself if none is found. */
export function firstBarrier(user: SystemUser | undefined, dir: string): string {
  const target = path.resolve(dir);
  const parts = target.split(path.sep).filter(Boolean);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = path.join(path.sep, ...parts.slice(0, i));
    if (fs.existsSync(prefix) && !canEnter(user, prefix)) return prefix;
  }
  return target;
}
