/**
 * Where a record's face_image may come from (docs/decisions/0024-face-image-policy.md). A record
 * is written by an API client, so its face_image is untrusted input: the server reads files only
 * in these folders and fetches URLs only from these hosts, never more than maxBytes, never for
 * longer than timeoutMs. Plain data, so it crosses to the worker threads as it is.
 */
export interface FaceSourcePolicy {
  /** Folders face files may be read from (their real paths are compared; symlinks cannot leave them). */
  dirs: string[];
  /** Host names, IP addresses or CIDR ranges http(s) face URLs may be fetched from. */
  urlHosts: string[];
  /** Largest face image, in bytes; a bigger one is refused without being read whole. */
  maxBytes: number;
  /** Longest a face URL may take, connecting and reading the whole body, in milliseconds. */
  timeoutMs: number;
}

export const DEFAULT_FACE_MAX_BYTES = 8_000_000;
export const DEFAULT_FACE_TIMEOUT_MS = 5_000;

/** No files, no URLs: data: URLs only. What a policy left unconfigured allows. */
export const CLOSED_FACE_POLICY: FaceSourcePolicy = {
  dirs: [],
  urlHosts: [],
  maxBytes: DEFAULT_FACE_MAX_BYTES,
  timeoutMs: DEFAULT_FACE_TIMEOUT_MS,
};
