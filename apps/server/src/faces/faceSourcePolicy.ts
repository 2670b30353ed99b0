import path from 'node:path';
import { DEFAULT_FACE_MAX_BYTES, DEFAULT_FACE_TIMEOUT_MS, type FaceSourcePolicy } from '@nexus/actors';
import type { Config } from '../config';

export type FacePolicyConfig = Partial<
  Pick<Config, 'NEXUS_FACE_DIRS' | 'NEXUS_FACE_URL_HOSTS' | 'NEXUS_FACE_MAX_BYTES' | 'NEXUS_FACE_TIMEOUT_MS'>
>;

/**
 * The face source policy of one engine: the configured folders and hosts, plus folders the
 * command itself vouches for (`nexus dedupe` allows the folders of the files it was given).
 */
export function faceSourcePolicy(
  config: FacePolicyConfig,
  extraDirs: readonly string[] = [],
): FaceSourcePolicy {
  return {
    dirs: [...(config.NEXUS_FACE_DIRS ?? []), ...extraDirs].map((d) => path.resolve(d)),
    urlHosts: [...(config.NEXUS_FACE_URL_HOSTS ?? [])],
    maxBytes: config.NEXUS_FACE_MAX_BYTES ?? DEFAULT_FACE_MAX_BYTES,
    timeoutMs: config.NEXUS_FACE_TIMEOUT_MS ?? DEFAULT_FACE_TIMEOUT_MS,
  };
}
