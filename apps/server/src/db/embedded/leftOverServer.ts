import fs from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PostgresStartError } from './startError';

/** Written into the cluster folder by the Nexus process that starts its Postgres: who it belongs to. */
export const OWNER_FILE = 'nexus-owner.pid';
const STOP_WAIT_MS = 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readNumber(file: string): Promise<number | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  const n = Number(text?.split('\n')[0]?.trim());
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

interface ProcessFacts {
  executable: string;
  cwd: string;
  parent: number;
}

/** Gone, or a zombie nobody reaps yet (an orphan's new parent may be slow to, or never, reap it). */
export async function gone(pid: number): Promise<boolean> {
  if (!alive(pid)) return true;
  const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
}

/** What Linux says about a process; undefined where /proc is not there to ask. */
async function facts(pid: number): Promise<ProcessFacts | undefined> {
  try {
    const [executable, cwd, stat] = await Promise.all([
      fs.readlink(`/proc/${pid}/exe`),
      fs.readlink(`/proc/${pid}/cwd`),
      fs.readFile(`/proc/${pid}/stat`, 'utf8'),
    ]);
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return { executable, cwd, parent };
  } catch {
    return undefined;
  }
}

/**
 * A Postgres left running by a Nexus that was killed (kill -9 leaves its child running) holds
 * the cluster's postmaster.pid, and a new Postgres refuses the folder. The next start recovers:
 * a postmaster.pid whose process is gone, or is no Postgres of this folder, is stale and removed;
 * a Postgres of this folder whose Nexus is gone is stopped cleanly (fast shutdown) and waited
 * for; one whose Nexus still runs is in use, and the start says so.
 */
export async function recoverLeftOverServer(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const pid = await readNumber(pidFile);
  if (pid === undefined) return;
  if (!alive(pid)) {
    await fs.rm(pidFile, { force: true });
    return;
  }
  const proc = await facts(pid);
  if (!proc) {
    throw new PostgresStartError(
      `the embedded database in ${dir} is already in use by process ${pid}: stop the other Nexus ` +
        `(or, if none runs, that left-over Postgres: kill ${pid}), or set NEXUS_DATA_DIR to another folder`,
    );
  }
  const ours = path.basename(proc.executable).startsWith('postgres') && proc.cwd === (await fs.realpath(dir));
  if (!ours) {
    // The number was reused by an unrelated process: the file is stale.
    await fs.rm(pidFile, { force: true });
    return;
  }
  const owner = await readNumber(path.join(dir, OWNER_FILE));
  if (owner !== undefined && proc.parent === owner && alive(owner)) {
    throw new PostgresStartError(
      `the embedded database in ${dir} is in use by Nexus process ${owner}: stop it first, or set NEXUS_DATA_DIR to another folder`,
    );
  }
  log(`stopping the embedded Postgres (process ${pid}) that a killed Nexus left running on ${dir}`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; !(await gone(pid)); waited += 100) {
    if (waited >= STOP_WAIT_MS) {
      throw new PostgresStartError(
        `the embedded Postgres (process ${pid}) that a killed Nexus left running on ${dir} did not stop: kill ${pid} and start again`,
      );
    }
    await sleep(100);
  }
}
