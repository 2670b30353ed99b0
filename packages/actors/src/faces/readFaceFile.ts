import fs from 'node:fs/promises';
import path from 'node:path';
import { FaceImageError } from './faceImageError';
import { FACE_REFUSED } from './faceRefusals';
import type { FaceSourcePolicy } from './faceSourcePolicy';

/**
 * Reads a face file only if its real path (symlinks resolved) lies in one of the allowed folders
 * and it is a regular file: never a device (/dev/zero), a FIFO, a directory or /proc. It is opened
 * without following a final symlink and without blocking (a FIFO swapped in would otherwise hang
 * the open), checked again on the open descriptor, and read with a byte limit.
 *
 * What remains: someone who can write inside an allowed folder could swap a folder on the path
 * for a symlink between the check and the open. Allowed folders are the operator's own.
 */
export async function readFaceFile(
  file: string,
  policy: Pick<FaceSourcePolicy, 'dirs' | 'maxBytes'>,
): Promise<Buffer> {
  if (!path.isAbsolute(file)) throw new FaceImageError(FACE_REFUSED.relativePath);
  const real = await fs.realpath(file).catch(() => null);
  if (real === null || !(await insideAllowedFolder(real, policy.dirs)))
    throw new FaceImageError(FACE_REFUSED.file);
  const flags = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOFOLLOW ?? 0);
  const handle = await fs.open(real, flags).catch(() => null);
  if (handle === null) throw new FaceImageError(FACE_REFUSED.file);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FaceImageError(FACE_REFUSED.file);
    if (stat.size > policy.maxBytes) throw new FaceImageError(FACE_REFUSED.tooLarge(policy.maxBytes));
    return await readAtMost(handle, policy.maxBytes);
  } finally {
    await handle.close();
  }
}

/** Reads to the end, but never more than maxBytes + 1 (a file may grow after its size was read). */
async function readAtMost(handle: fs.FileHandle, maxBytes: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.min(maxBytes + 1, 1 << 20));
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
    if (bytesRead === 0) return Buffer.concat(chunks, total);
    chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    total += bytesRead;
    if (total > maxBytes) throw new FaceImageError(FACE_REFUSED.tooLarge(maxBytes));
  }
}

export async function insideAllowedFolder(real: string, dirs: readonly string[]): Promise<boolean> {
  for (const dir of dirs) {
    const root = await fs.realpath(dir).catch(() => null);
    if (root === null) continue;
    const prefix = root.endsWith(path.sep) ? root : root + path.sep;
    if (real.startsWith(prefix)) return true;
  }
  return false;
}
