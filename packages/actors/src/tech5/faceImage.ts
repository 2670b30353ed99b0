/**
 * Reads a record's face_image for Tech5, under the face source policy
 * (docs/decisions/0024-face-image-policy.md): a data: URL, an http(s) URL from an allowed host, or
 * an absolute file path (or file: URL) inside an allowed folder. Whatever the source, at most
 * maxBytes are read and a URL gets at most timeoutMs. A face that cannot be used is the record's
 * problem: FaceImageError, and the record is rejected once.
 */
import { fileURLToPath } from 'node:url';
import { decodeDataUrl } from '../faces/decodeDataUrl';
import { FaceImageError } from '../faces/faceImageError';
import { FACE_REFUSED } from '../faces/faceRefusals';
import { CLOSED_FACE_POLICY, type FaceSourcePolicy } from '../faces/faceSourcePolicy';
import { fetchFaceUrl } from '../faces/fetchFaceUrl';
import { readFaceFile } from '../faces/readFaceFile';

export { FaceImageError };

export interface FaceSample {
  bytes: Buffer;
  /** The image as a data: URL, as Tech5 receives it. */
  dataUrl: string;
}

function mimeOf(bytes: Buffer): string {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  return 'application/octet-stream';
}

export async function loadFaceImage(
  reference: string,
  policy: FaceSourcePolicy = CLOSED_FACE_POLICY,
): Promise<FaceSample> {
  const bytes = await readBytes(reference.trim(), policy);
  if (bytes.length === 0) throw new FaceImageError(FACE_REFUSED.empty);
  if (bytes.length > policy.maxBytes) throw new FaceImageError(FACE_REFUSED.tooLarge(policy.maxBytes));
  return { bytes, dataUrl: `data:${mimeOf(bytes)};base64,${bytes.toString('base64')}` };
}

async function readBytes(reference: string, policy: FaceSourcePolicy): Promise<Buffer> {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(reference)?.[1]?.toLowerCase();
  switch (scheme) {
    case undefined:
      return readFaceFile(reference, policy);
    case 'data':
      return decodeDataUrl(reference, policy.maxBytes);
    case 'http':
    case 'https':
      return fetchFaceUrl(reference, policy);
    case 'file':
      return readFaceFile(filePath(reference), policy);
    default:
      throw new FaceImageError(FACE_REFUSED.scheme);
  }
}

/** A file: URL's path; one naming another host (file://server/share) is refused as a missing file. */
function filePath(reference: string): string {
  try {
    return fileURLToPath(reference);
  } catch {
    throw new FaceImageError(FACE_REFUSED.file);
  }
}
