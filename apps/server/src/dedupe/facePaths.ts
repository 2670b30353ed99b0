import path from 'node:path';

/**
 * A face_image given as a relative file path in an input file means a file beside that input
 * (as `nexus generate` writes them): made absolute here, so the workers find it from anywhere.
 * data: URLs, http(s) URLs and absolute paths pass as they are.
 */
export function resolveFaceImagePath<R extends { face_image?: string }>(record: R, inputFile: string): R {
  const face = record.face_image;
  if (!face || path.isAbsolute(face) || /^[a-z][a-z0-9+.-]*:/i.test(face)) return record;
  return { ...record, face_image: path.resolve(path.dirname(inputFile), face) };
}
