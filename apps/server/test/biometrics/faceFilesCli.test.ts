/**
 * Face files beside a record file, through the CLI (docs/decisions/0024-face-image-policy.md):
 * `nexus dedupe` reads the faces `nexus generate` wrote beside records.csv (its input's folder is
 * allowed) but nothing outside it; `nexus ingest` sends those faces to a server that reads no
 * files at all, as data: URLs, and refuses locally a face path that leaves the input's folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FACE_REFUSED } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { main } from '../../src/cli/main';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-face-cli-'));
const set = path.join(root, 'set');
const outside = path.join(root, 'outside');
let records: number;

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

beforeAll(async () => {
  const generated = await run([
    'generate',
    '--people',
    '8',
    '--dup-rate',
    '0.5',
    '--faces',
    '--out',
    set,
    '--seed',
    '11',
    '--quiet',
  ]);
  expect(generated.code).toBe(0);
  records = (JSON.parse(generated.out.trim()) as { records: number }).records;
  fs.mkdirSync(outside);
  fs.copyFileSync(
    path.join(set, 'faces', fs.readdirSync(path.join(set, 'faces'))[0]!),
    path.join(outside, 'secret.png'),
  );
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(set, 'faces', 'link.png'));
  // Rows that try to leave the folder of the file they are in.
  fs.writeFileSync(
    path.join(set, 'escapes.csv'),
    [
      'external_id,given_name,family_name,date_of_birth,face_image',
      'up,Una,Upton,1961-01-01,../outside/secret.png',
      'link,Lin,Link,1962-02-02,faces/link.png',
      'abs,Abe,Absolute,1963-03-03,/etc/passwd',
      '',
    ].join('\n'),
  );
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('nexus dedupe with face files', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it('finds the faces beside records.csv, and reads nothing outside the input folders', async () => {
    const out = path.join(root, 'clusters.csv');
    const result = await run([
      'dedupe',
      path.join(set, 'records.csv'),
      path.join(set, 'escapes.csv'),
      '--database-url',
      tdb.url,
      '--out',
      out,
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    const rows = parse<{ source: string; external_id: string; decision: string }>(fs.readFileSync(out), {
      columns: true,
    });
    const generated = rows.filter((r) => r.source === 'records');
    expect(generated).toHaveLength(records);
    expect(generated.filter((r) => r.decision === 'rejected')).toEqual([]);
    const escapes = await tdb.db
      .selectFrom('records')
      .select(['external_id', 'status', 'errors'])
      .where('source', '=', 'escapes')
      .orderBy('external_id')
      .execute();
    expect(escapes).toEqual(
      ['abs', 'link', 'up'].map((id) => ({
        external_id: id,
        status: 'rejected',
        errors: [{ field: 'face_image', message: FACE_REFUSED.file }],
      })),
    );
    // Every face that was read went to liveness as an image: none was refused as unreadable.
    const faces = await tdb.db
      .selectFrom('records')
      .select('explanation')
      .where('source', '=', 'records')
      .execute();
    expect(faces.every((f) => (f.explanation as { liveness?: { checked: boolean } }).liveness?.checked)).toBe(
      true,
    );
  });
});

describe('nexus ingest with face files', () => {
  let tdb: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    // The server reads no face files at all (NEXUS_FACE_DIRS unset).
    server = await startTestServer(tdb);
  });
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });

  it('sends the faces beside the file as data: URLs, in batches that stay under the byte limit', async () => {
    const token = await server.tokenFor('ingest');
    const result = await run([
      'ingest',
      path.join(set, 'records.csv'),
      '--url',
      server.url,
      '--token',
      token,
      '--batch-bytes',
      '200000',
      '--wait',
      '--quiet',
    ]);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out.trim().split('\n').at(-1)!) as {
      accepted: number;
      batches: string[];
      decided: { rejected: number; dead_lettered: number };
    };
    expect(summary.accepted).toBe(records);
    expect(summary.decided).toMatchObject({ rejected: 0, dead_lettered: 0 });
    // A face is about 40 kB (55 kB as base64): a few per batch.
    expect(summary.batches.length).toBeGreaterThan(records / 6);
    const stored = await tdb.db
      .selectFrom('records')
      .select(sql<string | null>`payload->>'face_image'`.as('face'))
      .execute();
    expect(stored.every((r) => r.face?.startsWith('data:image/png;base64,'))).toBe(true);
  });

  it('refuses on the client a face path that leaves the file folder; sends an absolute one for the server to refuse', async () => {
    const token = await server.tokenFor('ingest');
    const result = await run([
      'ingest',
      path.join(set, 'escapes.csv'),
      '--url',
      server.url,
      '--token',
      token,
      '--wait',
      '--quiet',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toContain(
      `escapes.csv:2: skipped: face_image ../outside/secret.png: no such image file in ${set}`,
    );
    expect(result.err).toContain('escapes.csv:3: skipped: face_image faces/link.png: no such image file');
    const summary = JSON.parse(result.out.trim().split('\n').at(-1)!) as {
      accepted: number;
      rejected: number;
      decided: { rejected: number };
    };
    expect(summary).toMatchObject({ accepted: 1, rejected: 2, decided: { rejected: 1 } });
    const abs = await tdb.db
      .selectFrom('records')
      .select(['status', 'errors'])
      .where('external_id', '=', 'abs')
      .executeTakeFirstOrThrow();
    expect(abs).toEqual({
      status: 'rejected',
      errors: [{ field: 'face_image', message: FACE_REFUSED.file }],
    });
  });
});
