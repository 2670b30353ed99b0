import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_REFUSED } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';

const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let tdb: TestDatabase;
let server: TestServer;
let reviewer: NexusClient;
let ingest: NexusClient;
let dir: string;

async function recordWith(face: string | undefined) {
  const id = randomUUID();
  await tdb.db
    .insertInto('records')
    .values({
      id,
      batch_id: null,
      source: 'fixture',
      external_id: id,
      partition: 0,
      payload: JSON.stringify({
        external_id: id,
        given_name: 'Ana',
        ...(face ? { face_image: face } : {}),
      }) as never,
      status: 'review',
    })
    .execute();
  return id;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-face-'));
  tdb = await createTestDatabase();
  // The reviewers' screen reads faces under the engine's policy: this folder only.
  server = await startTestServer(tdb, { NEXUS_FACE_DIRS: dir });
  reviewer = createNexusClient(server.url, await server.tokenFor('reviewer'));
  ingest = createNexusClient(server.url, await server.tokenFor('ingest'));
});
afterAll(async () => {
  await Promise.all([reviewer?.close(), ingest?.close()]);
  await server?.close();
  await tdb?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('records.face', () => {
  it('gives reviewers the face of a record stored as a file path or a data: URL', async () => {
    const file = path.join(dir, 'face.png');
    fs.writeFileSync(file, Buffer.from(PNG_BASE64, 'base64'));
    const byPath = await reviewer.trpc.records.face.query({ recordId: await recordWith(file) });
    expect(byPath).toMatchObject({ dataUrl: `data:image/png;base64,${PNG_BASE64}`, missing: null });
    const byUrl = await reviewer.trpc.records.face.query({
      recordId: await recordWith(`data:image/png;base64,${PNG_BASE64}`),
    });
    expect(byUrl.dataUrl).toBe(`data:image/png;base64,${PNG_BASE64}`);
  });

  it('says why there is no face, and never returns a file that is not an image', async () => {
    const none = await reviewer.trpc.records.face.query({ recordId: await recordWith(undefined) });
    expect(none).toMatchObject({ dataUrl: null, missing: 'no face image' });
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'not for reviewers');
    const text = await reviewer.trpc.records.face.query({ recordId: await recordWith(secret) });
    expect(text).toMatchObject({ dataUrl: null, missing: 'not a PNG or JPEG image' });
    const gone = await reviewer.trpc.records.face.query({
      recordId: await recordWith(path.join(dir, 'gone.png')),
    });
    expect(gone.dataUrl).toBeNull();
    expect(gone.missing).toBe(FACE_REFUSED.file);
  });

  it('reads no file outside the face folders: the same answer as for a missing one', async () => {
    for (const reference of ['/etc/passwd', '/dev/zero', `${dir}/../../etc/shadow`]) {
      const face = await reviewer.trpc.records.face.query({ recordId: await recordWith(reference) });
      expect(face).toMatchObject({ dataUrl: null, missing: FACE_REFUSED.file });
    }
  });

  it('is for reviewers only', async () => {
    const recordId = await recordWith(undefined);
    await expect(ingest.trpc.records.face.query({ recordId })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
  });
});
