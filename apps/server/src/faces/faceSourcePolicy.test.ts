import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { faceSourcePolicy } from './faceSourcePolicy';

describe('the face source policy from the environment', () => {
  it('reads no files and fetches no URLs by default, within 8 MB and 5 s', () => {
    expect(faceSourcePolicy(loadConfig({}))).toEqual({
      dirs: [],
      urlHosts: [],
      maxBytes: 8_000_000,
      timeoutMs: 5_000,
    });
  });

  it('takes folders separated like PATH, hosts separated by commas, and the folders a command adds', () => {
    const config = loadConfig({
      NEXUS_FACE_DIRS: `/srv/faces${path.delimiter}relative/faces`,
      NEXUS_FACE_URL_HOSTS: 'faces.example.org, 10.20.0.0/16,192.0.2.7,[::1]',
      NEXUS_FACE_MAX_BYTES: '2000000',
      NEXUS_FACE_TIMEOUT_MS: '1500',
    });
    expect(faceSourcePolicy(config, ['/data/input'])).toEqual({
      dirs: ['/srv/faces', path.resolve('relative/faces'), '/data/input'],
      urlHosts: ['faces.example.org', '10.20.0.0/16', '192.0.2.7', '[::1]'],
      maxBytes: 2_000_000,
      timeoutMs: 1_500,
    });
  });

  it('refuses a host list that is not host names, addresses or ranges, and limits out of range', () => {
    for (const env of [
      { NEXUS_FACE_URL_HOSTS: 'http://faces.example.org' },
      { NEXUS_FACE_URL_HOSTS: 'faces.example.org:8080' },
      { NEXUS_FACE_URL_HOSTS: '10.0.0.0/99' },
      { NEXUS_FACE_TIMEOUT_MS: '0' },
      { NEXUS_FACE_MAX_BYTES: '100' },
    ])
      expect(() => loadConfig(env), JSON.stringify(env)).toThrow(ConfigError);
  });
});
