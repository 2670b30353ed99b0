import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import { ingestFile } from '../ingest/ingestFile';
import { bar } from './ingestCommand';
import { main } from './main';

let tdb: TestDatabase;
let server: TestServer;
let dir: string;

beforeAll(async () => {
  tdb = await createTestDatabase();
  server = await startTestServer(tdb);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-ingest-'));
});
afterAll(async () => {
  await server?.close();
  await tdb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(argv), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('nexus ingest', () => {
  it('sends a file in batches, waits for the decisions, and does not duplicate on a re-run', async () => {
    const file = path.join(dir, 'people.csv');
    const rows = [
      'id;first;last;dob',
      ...Array.from(
        { length: 55 },
        (_, i) => `p${i};Ana${i % 7};Silva${i % 5};1970-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      ),
      ';no;id;here',
    ];
    fs.writeFileSync(file, `${rows.join('\n')}\n`);
    const token = await server.tokenFor('ingest');
    const first = await run([
      'ingest',
      file,
      '--url',
      server.url,
      '--token',
      token,
      '--map',
      'id=external_id,first=given_name,last=family_name,dob=date_of_birth',
      '--batch-size',
      '20',
      '--wait',
    ]);
    expect(first.err).toContain('people.csv:57: skipped: external_id is required');
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.out.trim().split('\n').at(-1)!) as {
      accepted: number;
      duplicates: number;
      rejected: number;
      batches: string[];
      decided: { new: number; linked: number; review: number; rejected: number; dead_lettered: number };
      source: string;
    };
    expect(summary).toMatchObject({
      source: 'people',
      records: 56,
      accepted: 55,
      duplicates: 0,
      rejected: 1,
    });
    expect(summary.batches).toHaveLength(3);
    const decided = summary.decided;
    expect(decided.new + decided.linked + decided.review + decided.rejected + decided.dead_lettered).toBe(55);

    // Resumable: the same file again stores nothing new, and --wait still accounts for all of it.
    const client = createNexusClient(server.url, token);
    try {
      const again = await ingestFile(client, file, {
        map: { id: 'external_id', first: 'given_name', last: 'family_name', dob: 'date_of_birth' },
        wait: true,
      });
      expect(again).toMatchObject({ accepted: 55, duplicates: 55, rejected: 1 });
      expect(again.decided).toEqual(decided);
    } finally {
      await client.close();
    }
    const stored = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'people')
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(55);
  });

  it('--wait after an interrupted run waits for every record of the file, those sent before too', async () => {
    const file = path.join(dir, 'interrupted.ndjson');
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ external_id: `i${i}`, given_name: `Iris${i}`, family_name: `Moreau${i % 3}` }),
    );
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const token = await server.tokenFor('ingest');
    const client = createNexusClient(server.url, token);
    const abort = new AbortController();
    try {
      // The first run is cut off once its first batches are stored (as Ctrl-C would).
      await expect(
        ingestFile(client, file, {
          batchSize: 10,
          signal: abort.signal,
          onProgress: (p) => {
            if (p.stored >= 20) abort.abort();
          },
        }),
      ).rejects.toMatchObject({ code: 'CLIENT.ABORTED' });
    } finally {
      await client.close();
    }
    const before = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'interrupted')
      .executeTakeFirstOrThrow();
    expect(Number(before.n)).toBe(20);

    const res = await run([
      'ingest',
      file,
      '--url',
      server.url,
      '--token',
      token,
      '--batch-size',
      '10',
      '--wait',
      '--quiet',
    ]);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out.trim().split('\n').at(-1)!) as {
      accepted: number;
      duplicates: number;
      decided: Record<string, number>;
    };
    expect(summary).toMatchObject({ accepted: 40, duplicates: 20 });
    // Every record of the file is decided and counted, the 20 of the first run with the 20 new ones.
    const d = summary.decided;
    expect(d.new! + d.linked! + d.review! + d.rejected! + d.dead_lettered!).toBe(40);
    const pending = await tdb.db
      .selectFrom('records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('source', '=', 'interrupted')
      .where('status', 'in', ['received', 'relayed'])
      .executeTakeFirstOrThrow();
    expect(Number(pending.n)).toBe(0);
  });

  it('draws a progress bar', () => {
    expect(bar({ phase: 'sending', read: 450, stored: 0, decided: 0 }, 1001)).toBe(
      '[###########-------------]  45%  450/1,000 read and sent',
    );
    expect(bar({ phase: 'deciding', read: 10, stored: 10, decided: 10 }, 11)).toMatch(/^\[#{24}\] 100%/);
  });

  it('fails with one clear line for a wrong token', async () => {
    const file = path.join(dir, 'one.ndjson');
    fs.writeFileSync(file, '{"external_id":"1","given_name":"A"}\n');
    const res = await run(['ingest', file, '--url', server.url, '--token', 'wrong']);
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/^nexus: sign in first/);
  });
});

describe('nexus user add', () => {
  it('adds a person in the database, who can then sign in', async () => {
    const res = await run([
      'user',
      'add',
      'alice',
      '--role',
      'reviewer',
      '--password',
      'alice-password',
      '--database-url',
      tdb.url,
    ]);
    expect(res.code).toBe(0);
    expect(res.out).toContain('added user alice (reviewer)');
    await expect(server.login('alice', 'alice-password')).resolves.toMatchObject({ expiresIn: 900 });
  });

  it('adds a service account through a running server and prints its API key once', async () => {
    const res = await run([
      'user',
      'add',
      'etl-job',
      '--role',
      'ingest',
      '--service',
      '--url',
      server.url,
      '--token',
      await server.tokenFor('admin'),
    ]);
    expect(res.code).toBe(0);
    const key = /API key .*: (nxk_\S+)/.exec(res.out)?.[1];
    expect(key).toBeDefined();
    const client = createNexusClient(server.url, key!);
    try {
      await expect(client.trpc.auth.me.query()).resolves.toMatchObject({
        username: 'etl-job',
        role: 'ingest',
        kind: 'service',
        via: 'api_key',
      });
    } finally {
      await client.close();
    }
  });

  it('refuses an unknown role', async () => {
    const res = await run(['user', 'add', 'bob', '--role', 'superuser', '--database-url', tdb.url]);
    expect(res.code).toBe(1);
    expect(res.err).toContain('--role must be one of admin, operator, reviewer, ingest');
  });
});

describe('the first start', () => {
  it('created admin with NEXUS_ADMIN_PASSWORD and said how to sign in', () => {
    expect(server.lines.join('\n')).toContain(
      'created the first user "admin" with the password in NEXUS_ADMIN_PASSWORD; sign in with POST /api/v1/auth/login',
    );
  });
});
