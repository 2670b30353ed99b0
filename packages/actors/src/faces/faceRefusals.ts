/**
 * Every reason a face image is refused, worded once. A file that is missing, unreadable, outside
 * the allowed folders, a symlink out of them or not a regular file all get the SAME message, so a
 * client cannot learn which files the server has.
 */
export const FACE_REFUSED = {
  file: 'face_image names no readable image file in the folders this server reads faces from',
  relativePath: 'face_image file paths must be absolute',
  scheme: 'face_image must be a file path, a data: URL or an http(s) URL',
  host: 'face_image URL is not on a host this server fetches faces from',
  redirects: 'face_image URL redirects too many times',
  empty: 'face_image is empty',
  dataUrl: 'face_image is a data: URL without data',
  base64: 'face_image is not valid base64',
  tooLarge: (maxBytes: number) => `face_image is larger than ${maxBytes} bytes`,
  timedOut: (timeoutMs: number) => `face_image URL did not answer within ${timeoutMs} ms`,
  httpStatus: (status: number) => `face_image URL answered HTTP ${status}`,
} as const;
