/**
 * Reads a record's face_image: a data: URL, an http(s) URL, or a file path (on the machine that
 * decides the record; relative paths from its working directory). A face that cannot be read
 * (missing file, 404, not base64) is the record's problem: FaceImageError, and the record is
 * rejected. A web server that fails (5xx, timeout) is retried like any failure.
 */
import fs from 'node:fs/promises';
import { MAX_FACE_IMAGE_LENGTH } from '@nexus/schema';

export class FaceImageError extends Error {
  readonly code = 'FACE_IMAGE.UNREADABLE';
}

export interface FaceSample {
  bytes: Buffer;
  /** The image as a data: URL, as Tech5 receives it. */
  dataUrl: string;
}

const MAX_BYTES = MAX_FACE_IMAGE_LENGTH;

function mimeOf(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  return 'application/octet-stream';
}

export async function loadFaceImage(
  reference: string,
  options: { timeoutMs?: number } = {},
): Promise<FaceSample> {
  const bytes = await readBytes(reference.trim(), options.timeoutMs ?? 10_000);
  if (bytes.length === 0) throw new FaceImageError('face_image is empty');
  if (bytes.length > MAX_BYTES) throw new FaceImageError(`face_image is larger than ${MAX_BYTES} bytes`);
  return { bytes, dataUrl: `data:${mimeOf(bytes)};base64,${bytes.toString('base64')}` };
}

async function readBytes(reference: string, timeoutMs: number): Promise<Buffer> {
  if (reference.startsWith('data:')) {
    const comma = reference.indexOf(',');
    if (comma < 0) throw new FaceImageError('face_image is a data: URL without data');
    const meta = reference.slice(5, comma);
    const payload = reference.slice(comma + 1);
    if (!meta.endsWith(';base64')) return Buffer.from(decodeURIComponent(payload), 'latin1');
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(payload)) throw new FaceImageError('face_image is not valid base64');
    return Buffer.from(payload, 'base64');
  }
  if (/^https?:\/\//i.test(reference)) {
    const response = await fetch(reference, { signal: AbortSignal.timeout(timeoutMs) });
    if (response.status >= 400 && response.status < 500) {
      throw new FaceImageError(`face_image ${reference} answered HTTP ${response.status}`);
    }
    if (!response.ok) throw new Error(`face_image ${reference} answered HTTP ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }
  try {
    return await fs.readFile(reference.startsWith('file://') ? new URL(reference) : reference);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (
      code === 'ENOENT' ||
      code === 'EISDIR' ||
      code === 'EACCES' ||
      code === 'ENOTDIR' ||
      code === 'ENAMETOOLONG'
    ) {
      throw new FaceImageError(`face_image ${reference.slice(0, 200)} cannot be read (${code})`);
    }
    throw error;
  }
}
