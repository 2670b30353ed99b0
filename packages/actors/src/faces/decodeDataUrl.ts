import { FaceImageError } from './faceImageError';
import { FACE_REFUSED } from './faceRefusals';

/**
 * The bytes of a data: URL, refused before decoding when the text alone shows they would exceed
 * maxBytes (base64 is 4 characters for 3 bytes; percent-encoding at least 1 character a byte).
 */
export function decodeDataUrl(reference: string, maxBytes: number): Buffer {
  const comma = reference.indexOf(',');
  if (comma < 0) throw new FaceImageError(FACE_REFUSED.dataUrl);
  const meta = reference.slice(5, comma);
  const payload = reference.slice(comma + 1);
  if (meta.endsWith(';base64')) {
    if (Math.floor((payload.replace(/[\s=]/g, '').length * 3) / 4) > maxBytes)
      throw new FaceImageError(FACE_REFUSED.tooLarge(maxBytes));
    if (!/^[A-Za-z0-9+/=\s_-]*$/.test(payload)) throw new FaceImageError(FACE_REFUSED.base64);
    return Buffer.from(payload, 'base64');
  }
  if (payload.length > 3 * maxBytes) throw new FaceImageError(FACE_REFUSED.tooLarge(maxBytes));
  try {
    return Buffer.from(decodeURIComponent(payload), 'latin1');
  } catch {
    throw new FaceImageError(FACE_REFUSED.dataUrl);
  }
}
