/**
 * face_image under the face source policy, against real files, symlinks, a FIFO, devices and a
 * real HTTP server on port 0 (docs/decisions/0024-face-image-policy.md). Each refusal is a
 * FaceImageError (the record is rejected once), and files the server may not read all get one
 * message, whatever the reason.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { syntheticCapture } from '@nexus/tech5-sim';
import { FACE_REFUSED } from '../faces/faceRefusals';
import type { FaceSourcePolicy } from '../faces/faceSourcePolicy';
import { FaceImageError, loadFaceImage } from './faceImage';

const PNG = syntheticCapture({ subject: { family: 7, member: 0 }, captureSeed: 1 }).png;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-faces-'));
const allowed = path.join(root, 'allowed');
const outside = path.join(root, 'outside');

let server: http.Server;
let base: string;
const requests: string[] = [];
const open = new Set<http.ServerResponse>();

function policy(overrides: Partial<FaceSourcePolicy> = {}): FaceSourcePolicy {
  return { dirs: [allowed], urlHosts: ['127.0.0.1'], maxBytes: 1_000_000, timeoutMs: 10_000, ...overrides };
}

async function refusal(reference: string, p = policy()): Promise<FaceImageError> {
  const error = await loadFaceImage(reference, p).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FaceImageError);
  return error as FaceImageError;
}

beforeAll(async () => {
  fs.mkdirSync(allowed);
  fs.mkdirSync(outside);
  fs.mkdirSync(path.join(allowed, 'folder'));
  fs.writeFileSync(path.join(allowed, 'face.png'), PNG);
  fs.writeFileSync(path.join(outside, 'secret.png'), PNG);
  fs.symlinkSync(path.join(outside, 'secret.png'), path.join(allowed, 'escape.png'));
  fs.symlinkSync('/etc/passwd', path.join(allowed, 'passwd.png'));
  fs.symlinkSync(outside, path.join(allowed, 'outside-folder'));
  fs.symlinkSync(path.join(allowed, 'face.png'), path.join(allowed, 'alias.png'));
  execFileSync('mkfifo', [path.join(allowed, 'fifo.png')]);
  // Sparse: 100 MB on paper, nothing on disk; must be refused without being read.
  fs.closeSync(fs.openSync(path.join(allowed, 'huge.png'), 'w'));
  fs.truncateSync(path.join(allowed, 'huge.png'), 100_000_000);

  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    open.add(res);
    res.on('close', () => open.delete(res));
    const url = req.url ?? '';
    if (url === '/face.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG);
    if (url === '/never') return; // accepts, never answers
    if (url === '/trickle') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const timer = setInterval(() => res.write(Buffer.alloc(1)), 50);
      return void res.on('close', () => clearInterval(timer));
    }
    if (url === '/endless') {
      res.writeHead(200, { 'content-type': 'image/png' });
      const chunk = Buffer.alloc(64 * 1024, 7);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      };
      res.on('drain', pump);
      return pump();
    }
    if (url === '/declared-huge')
      return void res.writeHead(200, { 'content-length': '100000000000' }).write('x');
    if (url === '/missing') return void res.writeHead(404).end();
    if (url === '/broken') return void res.writeHead(503).end();
    if (url.startsWith('/to?')) {
      const target = decodeURIComponent(url.slice(4));
      return void res.writeHead(302, { location: target }).end();
    }
    if (url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  fs.rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  requests.length = 0;
});

describe('face files', () => {
  it('reads an image file inside an allowed folder, by path, by file: URL and through a symlink that stays inside', async () => {
    for (const reference of [
      path.join(allowed, 'face.png'),
      pathToFileURL(path.join(allowed, 'face.png')).href,
      path.join(allowed, 'alias.png'),
      path.join(allowed, 'folder', '..', 'face.png'),
    ]) {
      const sample = await loadFaceImage(reference, policy());
      expect(sample.bytes.equals(PNG)).toBe(true);
      expect(sample.dataUrl.startsWith('data:image/png;base64,')).toBe(true);
    }
  });

  it('refuses every file outside the allowed folders, missing or not, with one message that names nothing', async () => {
    const references = [
      '/etc/shadow',
      '/etc/passwd',
      '/proc/self/environ',
      `${allowed}/../../../../etc/passwd`,
      path.join(outside, 'secret.png'),
      path.join(allowed, 'escape.png'), // symlink to a file outside
      path.join(allowed, 'passwd.png'), // symlink to /etc/passwd
      path.join(allowed, 'outside-folder', 'secret.png'), // through a symlinked folder
      path.join(allowed, 'missing.png'),
      path.join(allowed, 'folder'), // a directory
      path.join(allowed, 'fifo.png'), // a FIFO: would block an open()
      'file:///etc/passwd',
      'file://localhost/etc/shadow',
      'file://other-host/share/face.png',
    ];
    const messages = new Set<string>();
    for (const reference of references) messages.add((await refusal(reference)).message);
    expect([...messages]).toEqual([FACE_REFUSED.file]);
    expect(FACE_REFUSED.file).not.toMatch(/\/|ENOENT|EACCES|exist/);
  });

  it('refuses devices even in an allowed folder: /dev/zero is never read', async () => {
    for (const device of ['/dev/zero', '/dev/urandom', '/dev/stdin'])
      expect((await refusal(device, policy({ dirs: ['/dev'] }))).message).toBe(FACE_REFUSED.file);
  });

  it('refuses a file larger than the limit without reading it whole', async () => {
    expect((await refusal(path.join(allowed, 'huge.png'))).message).toBe(FACE_REFUSED.tooLarge(1_000_000));
  });

  it('refuses relative paths and other schemes plainly', async () => {
    expect((await refusal('../../etc/passwd')).message).toBe(FACE_REFUSED.relativePath);
    expect((await refusal('face.png')).message).toBe(FACE_REFUSED.relativePath);
    for (const reference of ['ftp://127.0.0.1/face.png', 'gopher://127.0.0.1:70/', 'javascript:alert(1)'])
      expect((await refusal(reference)).message).toBe(FACE_REFUSED.scheme);
  });

  it('reads no file at all when no folder is configured', async () => {
    expect((await refusal(path.join(allowed, 'face.png'), policy({ dirs: [] }))).message).toBe(
      FACE_REFUSED.file,
    );
  });
});

describe('data: URLs', () => {
  it('decodes one within the limit and refuses a larger one before decoding it', async () => {
    const small = `data:image/png;base64,${PNG.toString('base64')}`;
    expect((await loadFaceImage(small, policy())).bytes.equals(PNG)).toBe(true);
    const big = `data:image/png;base64,${'A'.repeat(8_000)}`;
    expect((await refusal(big, policy({ maxBytes: 4_096 }))).message).toBe(FACE_REFUSED.tooLarge(4_096));
    expect((await refusal(`data:,${'%41'.repeat(5_000)}`, policy({ maxBytes: 4_096 }))).message).toBe(
      FACE_REFUSED.tooLarge(4_096),
    );
  });
});

describe('face URLs', () => {
  it('fetches from a listed host', async () => {
    const sample = await loadFaceImage(`${base}/face.png`, policy());
    expect(sample.bytes.equals(PNG)).toBe(true);
  });

  it('fetches nothing when no host is listed, and never contacts the server', async () => {
    expect((await refusal(`${base}/face.png`, policy({ urlHosts: [] }))).message).toBe(FACE_REFUSED.host);
    expect(requests).toEqual([]);
  });

  it('refuses a listed name that resolves to a loopback address (DNS rebinding) unless the address is listed', async () => {
    const port = (server.address() as AddressInfo).port;
    expect(
      (await refusal(`http://localhost:${port}/face.png`, policy({ urlHosts: ['localhost'] }))).message,
    ).toBe(FACE_REFUSED.host);
    expect(requests).toEqual([]);
    const sample = await loadFaceImage(
      `http://localhost:${port}/face.png`,
      policy({ urlHosts: ['localhost', '127.0.0.0/8', '::1'] }),
    );
    expect(sample.bytes.equals(PNG)).toBe(true);
  });

  it('refuses other spellings of an unlisted loopback address', async () => {
    const port = (server.address() as AddressInfo).port;
    for (const reference of [
      `http://2130706433:${port}/face.png`,
      `http://0x7f.1:${port}/face.png`,
      `http://[::ffff:127.0.0.1]:${port}/face.png`,
      `http://0.0.0.0:${port}/face.png`,
    ])
      expect((await refusal(reference, policy({ urlHosts: ['localhost'] }))).message).toBe(FACE_REFUSED.host);
    expect(requests).toEqual([]);
  });

  it('follows a redirect on the list, never one off it', async () => {
    const port = (server.address() as AddressInfo).port;
    const on = await loadFaceImage(`${base}/to?${encodeURIComponent('/face.png')}`, policy());
    expect(on.bytes.equals(PNG)).toBe(true);
    requests.length = 0;
    for (const target of [
      `http://localhost:${port}/face.png`,
      `file:///etc/passwd`,
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1',
    ])
      expect((await refusal(`${base}/to?${encodeURIComponent(target)}`)).message).toBe(FACE_REFUSED.host);
    expect(requests.every((r) => r.startsWith('/to?'))).toBe(true);
    expect((await refusal(`${base}/loop`)).message).toBe(FACE_REFUSED.redirects);
  });

  it('gives up on a server that never answers, or answers too slowly, at the deadline: once', async () => {
    const impatient = policy({ timeoutMs: 300 });
    expect((await refusal(`${base}/never`, impatient)).message).toBe(FACE_REFUSED.timedOut(300));
    expect((await refusal(`${base}/trickle`, impatient)).message).toBe(FACE_REFUSED.timedOut(300));
    expect(requests).toEqual(['/never', '/trickle']);
  });

  it('stops reading an endless body at the limit, and refuses a declared huge one at once', async () => {
    expect((await refusal(`${base}/endless`)).message).toBe(FACE_REFUSED.tooLarge(1_000_000));
    expect((await refusal(`${base}/declared-huge`)).message).toBe(FACE_REFUSED.tooLarge(1_000_000));
  });

  it('rejects on a 4xx, retries on a 5xx (a plain error)', async () => {
    expect((await refusal(`${base}/missing`)).message).toBe(FACE_REFUSED.httpStatus(404));
    const failure = await loadFaceImage(`${base}/broken`, policy()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(FaceImageError);
  });
});
