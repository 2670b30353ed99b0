/**
 * A face image that cannot be used is the record's fault: the record is rejected once, with this
 * message on its face_image field, and never retried. Messages are written for the API client and
 * say nothing about the server's files or network beyond the policy (see faceRefusals.ts).
 */
export class FaceImageError extends Error {
  readonly code = 'FACE_IMAGE.UNREADABLE';
}
