import path from 'node:path';
import { FACE_REFUSED, FaceImageError, readFaceFile } from '@nexus/actors';
import { MAX_FACE_IMAGE_LENGTH } from '@nexus/schema';

/** The largest image whose data: URL still fits the face_image field. */
export const MAX_INLINE_FACE_BYTES = Math.floor((MAX_FACE_IMAGE_LENGTH - 64) / 4) * 3;

/**
 * `nexus ingest` talks to a server that may run on another machine and reads files only in its
 * own NEXUS_FACE_DIRS. A face_image given as a relative path means a file beside the input file
 * (as `nexus generate` writes them): the CLI reads it here, under the rules the server keeps (the
 * real path inside the input file's folder, a regular file, bounded), and sends the image itself
 * as a data: URL. Absolute paths and URLs go as they are, for the server's policy to judge.
 */
export async function inlineFaceImage<R extends { face_image?: string }>(
  record: R,
  inputFile: string,
): Promise<R> {
  const face = record.face_image?.trim();
  if (!face || path.isAbsolute(face) || /^[a-z][a-z0-9+.-]*:/i.test(face)) return record;
  const folder = path.dirname(path.resolve(inputFile));
  try {
    const bytes = await readFaceFile(path.resolve(folder, face), {
      dirs: [folder],
      maxBytes: MAX_INLINE_FACE_BYTES,
    });
    return { ...record, face_image: `data:${mimeOf(face)};base64,${bytes.toString('base64')}` };
  } catch (error) {
    if (!(error instanceof FaceImageError)) throw error;
    // The client's own files: saying which one and why is fine here, unlike on the server.
    const why = error.message === FACE_REFUSED.file ? `no such image file in ${folder}` : error.message;
    throw new FaceImageError(`${face}: ${why.replace(/^face_image /, '')}`);
  }
}

function mimeOf(file: string): string {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.png') return 'image/png';
  if (extension === '.jpg' || extension === '.jpeg') return 'image/jpeg';
  return 'application/octet-stream';
}
