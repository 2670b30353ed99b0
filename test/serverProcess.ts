import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const NEXUS = path.join(ROOT, 'apps/server/bin/nexus.mjs');

export interface ServerProcess {
  child: ChildProcess;
  /** Where it listens, read from the line `nexus start` prints. */
  url: string;
  /** What it printed so far (for a failing test's message). */
  output(): string;
}

/**
 * `nexus start` as a child process, so that a test can kill -9 it: resolves once it prints the
 * address it listens on, rejects if it exits first.
 */
export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [NEXUS, 'start'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null, signal: string | null) =>
      reject(new Error(`nexus start exited (${code ?? signal}) before listening: ${output}`));
    child.once('exit', onExit);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const url = /Nexus is running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) {
        child.off('exit', onExit);
        resolve({ child, url: url.replace(/\/$/, ''), output: () => output });
      }
    });
  });
}

/** Sends `signal` and waits for the process to be gone (at once if it already is). */
export async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
