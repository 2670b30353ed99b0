import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testDatabase';

const ROOT = path.resolve(import.meta.dirname, '../..');
const NEXUS = path.join(ROOT, 'apps/server/bin/nexus.mjs');
const CONTRACT_SCRIPT = path.join(import.meta.dirname, 'bitespeedContract.mjs');

/** `nexus start` as a new user runs it, with /identify open; resolves with its address once it listens. */
function startNexusProcess(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [NEXUS, 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      NEXUS_IDENTIFY_PUBLIC: 'true',
      NEXUS_ADMIN_PASSWORD: 'contract-admin-password',
      NEXUS_PARTITIONS: '2',
      NEXUS_WORKERS: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      const url = /Nexus is running at (http:\/\/\S+)/.exec(output)?.[1];
      if (url) resolve({ child, url });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`nexus start exited ${code}: ${output}`)));
  });
}

/** Done means: a third-party script for the contract, posting to $URL/identify, passes unchanged. */
describe('a third-party Bitespeed contract script against `nexus start` with NEXUS_IDENTIFY_PUBLIC=true', () => {
  let tdb: TestDatabase;
  let nexus: { child: ChildProcess; url: string } | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    nexus = await startNexusProcess(tdb.url);
  });
  afterAll(async () => {
    if (nexus && nexus.child.exitCode === null) {
      const exited = new Promise((r) => nexus!.child.once('exit', r));
      nexus.child.kill('SIGTERM');
      await exited;
    }
    await tdb?.drop();
  });

  it('passes, run twice (the second run on a table that already holds the first one)', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const script = spawn(process.execPath, [CONTRACT_SCRIPT], {
          env: { ...process.env, URL: nexus!.url },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let output = '';
        script.stdout.on('data', (d: Buffer) => (output += d.toString()));
        script.stderr.on('data', (d: Buffer) => (output += d.toString()));
        script.on('exit', (code) => resolve({ code, output }));
      });
      expect(result.output).toMatch(/\n\d+ passed, 0 failed/);
      expect(result.code, result.output).toBe(0);
    }
  });
});
