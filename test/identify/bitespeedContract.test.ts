import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, stopProcess, type ServerProcess } from '../serverProcess';
import { createTestDatabase, type TestDatabase } from '../testDatabase';

const CONTRACT_SCRIPT = path.join(import.meta.dirname, 'bitespeedContract.mjs');

/** Done means: a third-party script for the contract, posting to $URL/identify, passes unchanged. */
describe('a third-party Bitespeed contract script against `nexus start` with NEXUS_IDENTIFY_PUBLIC=true', () => {
  let tdb: TestDatabase;
  let nexus: ServerProcess | undefined;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    // `nexus start` as a new user runs it, with /identify open.
    nexus = await startServerProcess({
      DATABASE_URL: tdb.url,
      NEXUS_IDENTIFY_PUBLIC: 'true',
      NEXUS_ADMIN_PASSWORD: 'contract-admin-password',
      NEXUS_PARTITIONS: '2',
      NEXUS_WORKERS: '1',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    if (nexus) await stopProcess(nexus.child, 'SIGTERM');
    await tdb?.drop();
  });

  it('passes, run twice (the second run on a table that already holds the first one)', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const script = spawn(process.execPath, [CONTRACT_SCRIPT], {
          env: { ...process.env, URL: nexus?.url },
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
