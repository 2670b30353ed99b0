/**
 * An API client trying to make the engine read the server's files or probe its network through
 * face_image (issue 11, findings 2, 3 and 9), through the real engine: bus, partition actor,
 * worker thread, simulator. Every such record is rejected once with a message that reveals
 * nothing, the internal server is never contacted, a face URL that never answers costs one
 * deadline and one request, and the partition goes on to decide the good faces after them.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FACE_REFUSED } from '@nexus/actors';
import { startTech5Simulator, syntheticCapture, type Tech5Simulator } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { pendingCount, TEST_ENGINE_CONFIG, waitUntil } from '../../../../test/engineHarness';
import { startEngine, type Engine } from '../../src/engine/engine';
import { submitBatch } from '../../src/ingest/submitBatch';
import { FAST_TECH5 } from './faces';

// Long enough for the good face on a busy machine; the one that never answers costs it once.
const TIMEOUT_MS = 10_000;
const MAX_BYTES = 2_000_000;
const face = (family: number) =>
  syntheticCapture({ subject: { family, member: 0 }, captureSeed: family }).png;

async function listen(server: http.Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `http://${host}:${(server.address() as AddressInfo).port}`;
}

describe('face_image from an untrusted client, through the engine', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-face-sources-'));
  const allowed = path.join(root, 'faces');
  const outside = path.join(root, 'private');
  const internalRequests: string[] = [];
  const faceRequests: string[] = [];
  const hanging = new Set<http.ServerResponse>();
  // A service on the server's loopback that clients must not reach: never listed.
  const internal = http.createServer((req, res) => {
    internalRequests.push(req.url ?? '');
    res.end('internal');
  });
  // The listed face server, on another loopback address.
  const faceServer = http.createServer((req, res) => {
    faceRequests.push(req.url ?? '');
    if (req.url === '/never') return void hanging.add(res);
    if (req.url === '/huge') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      return pump();
    }
    if (req.url === '/face.png')
      return void res.writeHead(200, { 'content-type': 'image/png' }).end(face(902));
    res.writeHead(404).end();
  });
  let internalUrl: string;
  let faceUrl: string;
  let tdb: TestDatabase;
  let sim: Tech5Simulator;
  let engine: Engine;
  const people = new Map<string, string>();

  beforeAll(async () => {
    fs.mkdirSync(allowed);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(allowed, 'face.png'), face(901));
    fs.writeFileSync(path.join(outside, 'secret.png'), face(903));
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(allowed, 'link.png'));
    internalUrl = await listen(internal, '127.0.0.1');
    faceUrl = await listen(faceServer, '127.0.0.2');
    [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
    engine = await startEngine(
      {
        ...TEST_ENGINE_CONFIG,
        // One partition: the records are decided one after another, in this order.
        NEXUS_PARTITIONS: 1,
        TECH5_LDS_URL: sim.ldsUrl,
        TECH5_ABIS_URL: sim.abisUrl,
        NEXUS_FACE_DIRS: [allowed],
        NEXUS_FACE_URL_HOSTS: ['127.0.0.2'],
        NEXUS_FACE_TIMEOUT_MS: TIMEOUT_MS,
        NEXUS_FACE_MAX_BYTES: MAX_BYTES,
      },
      tdb.db,
      tdb.url,
      { policy: { baseBackoffMs: 10, maxBackoffMs: 100 }, tech5Client: FAST_TECH5 },
    );
    const faces: Array<[string, string]> = [
      ['shadow', '/etc/shadow'],
      ['environ', '/proc/self/environ'],
      ['dotdot', `${allowed}/../private/secret.png`],
      ['symlink', path.join(allowed, 'link.png')],
      ['missing', path.join(allowed, 'missing.png')],
      ['file-url', 'file:///etc/passwd'],
      ['zero', '/dev/zero'],
      ['relative', '../../etc/passwd'],
      ['internal', `${internalUrl}/admin`],
      ['never', `${faceUrl}/never`],
      ['huge', `${faceUrl}/huge`],
      ['good-url', `${faceUrl}/face.png`],
      ['good-file', path.join(allowed, 'face.png')],
    ];
    const records = faces.map(([id, reference], i) => {
      people.set(id, reference);
      return {
        external_id: id,
        given_name: ['Ann', 'Bea', 'Cy', 'Dov', 'Eli', 'Fay', 'Gus', 'Hal', 'Ida', 'Jo', 'Kim', 'Lou', 'Max'][
          i
        ],
        family_name: `Family${i}`,
        date_of_birth: `19${50 + i}-01-0${1 + (i % 9)}`,
        face_image: reference,
      };
    });
    await submitBatch(tdb.db, engine.bus.partitions, { source: 'attacker', records });
    engine.relay.kick();
    await waitUntil('every record is decided', async () => (await pendingCount(tdb.db)) === 0);
  });

  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await engine?.stop();
    await sim?.close();
    await tdb?.drop();
    await Promise.all(
      [internal, faceServer].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
    );
    fs.rmSync(root, { recursive: true, force: true });
  });

  const decided = async () =>
    new Map(
      (
        await tdb.db
          .selectFrom('records')
          .select(['external_id', 'status', 'decision_rule', 'errors'])
          .execute()
      ).map((r) => [r.external_id, r]),
    );

  it('rejects every file outside the face folders with one message that names nothing', async () => {
    const rows = await decided();
    for (const id of ['shadow', 'environ', 'dotdot', 'symlink', 'missing', 'file-url', 'zero']) {
      expect(rows.get(id), id).toMatchObject({
        status: 'rejected',
        decision_rule: 'liveness_failed',
        errors: [{ field: 'face_image', message: FACE_REFUSED.file }],
      });
    }
    expect(rows.get('relative')).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'face_image', message: FACE_REFUSED.relativePath }],
    });
  });

  it('never contacts an unlisted host', async () => {
    const rows = await decided();
    expect(rows.get('internal')).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'face_image', message: FACE_REFUSED.host }],
    });
    expect(internalRequests).toEqual([]);
  });

  it('rejects a face URL that never answers, or answers without end, once: one request each, no dead letter', async () => {
    const rows = await decided();
    expect(rows.get('never')).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'face_image', message: FACE_REFUSED.timedOut(TIMEOUT_MS) }],
    });
    expect(rows.get('huge')).toMatchObject({
      status: 'rejected',
      errors: [{ field: 'face_image', message: FACE_REFUSED.tooLarge(MAX_BYTES) }],
    });
    expect(faceRequests.filter((r) => r === '/never')).toHaveLength(1);
    expect(faceRequests.filter((r) => r === '/huge')).toHaveLength(1);
    expect(await tdb.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
  });

  it('goes on to decide the good faces, from the face folder and the listed host', async () => {
    const rows = await decided();
    expect(rows.get('good-url')).toMatchObject({ status: 'new' });
    expect(rows.get('good-file')?.status).toBe('new');
    // Nothing refused ever reached Tech5.
    expect(sim.stats().lds).toMatchObject({ liveness: 2, live: 2 });
  });
});
