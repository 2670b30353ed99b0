import { sql } from 'kysely';
import { FaceImageError, loadFaceImage, type Db, type FaceSourcePolicy } from '@nexus/actors';
import { IngestError } from '../ingest/errors';

export interface RecordFace {
  recordId: string;
  /** The image as a data: URL the browser shows as it is; null when the record has no readable face. */
  dataUrl: string | null;
  /** Why there is no image: no face_image, or it cannot be read any more. */
  missing: string | null;
}

const IMAGE_DATA_URL = /^data:image\/(png|jpeg);base64,/;

/**
 * A record's face for the reviewers' screen. face_image may be a file path or a URL only the
 * server can reach, and the browser's token lives in memory (no cookie an <img> could send), so
 * the image travels through the API. It is read under the engine's face source policy (the same
 * folders, hosts and limits as the decision), and only PNG and JPEG bytes are returned.
 */
export async function getRecordFace(db: Db, recordId: string, faces: FaceSourcePolicy): Promise<RecordFace> {
  const row = await db
    .selectFrom('records')
    // Only the one field: a payload may be large, the face is all this needs.
    .select(['id', sql<string | null>`payload->>'face_image'`.as('face_image')])
    .where('id', '=', recordId)
    .executeTakeFirst();
  if (!row) throw new IngestError('RECORD.NOT_FOUND', `no record ${recordId}`);
  const reference = typeof row.face_image === 'string' ? row.face_image.trim() : '';
  if (!reference) return { recordId, dataUrl: null, missing: 'no face image' };
  try {
    const sample = await loadFaceImage(reference, faces);
    if (!IMAGE_DATA_URL.test(sample.dataUrl))
      return { recordId, dataUrl: null, missing: 'not a PNG or JPEG image' };
    return { recordId, dataUrl: sample.dataUrl, missing: null };
  } catch (error) {
    if (error instanceof FaceImageError) return { recordId, dataUrl: null, missing: error.message };
    throw error;
  }
}
