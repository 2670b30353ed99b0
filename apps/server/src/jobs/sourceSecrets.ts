import type { SourceKind, SourceSpec } from '@nexus/schema';
import { openSecret, sealSecret } from '../auth/sealedSecret';
import { redact } from '../db/postgres';

/** The fields of each kind that are secrets: sealed at rest, never returned, never logged. */
export const SECRET_FIELDS: Record<SourceKind, readonly string[]> = {
  url: ['bearerToken', 'headers'],
  file: [],
  postgres: ['connectionString'],
  s3: ['accessKeyId', 'secretAccessKey', 'sessionToken'],
  upload: [],
};

export interface SplitSpec {
  kind: SourceKind;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
  map: Record<string, string>;
  recordSource: string | undefined;
}

/** A spec as it is stored: the settings in the clear, the secrets apart (to be sealed). */
export function splitSpec(spec: SourceSpec): SplitSpec {
  const { kind, map, recordSource, ...rest } = spec;
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined) continue;
    (SECRET_FIELDS[kind].includes(k) ? secrets : settings)[k] = v;
  }
  // Where a Postgres source points, without its password: enough to recognise it.
  if (kind === 'postgres' && typeof secrets.connectionString === 'string')
    settings.connection = safeConnection(secrets.connectionString);
  return { kind, settings, secrets, map, recordSource };
}

function safeConnection(connectionString: string): string {
  try {
    const u = new URL(connectionString);
    u.password = '';
    u.search = '';
    return redact(u.href);
  } catch {
    return '(a connection string)';
  }
}

/** The associated data a source's or a job's secrets are sealed under: they open only there. */
export const secretName = (owner: 'source' | 'job', id: string) => `${owner}:${id}:secrets`;

export function sealSecrets(key: Buffer, name: string, secrets: Record<string, unknown>): string | null {
  return Object.keys(secrets).length === 0 ? null : sealSecret(key, name, JSON.stringify(secrets));
}

export function openSecrets(key: Buffer, name: string, sealed: string | null): Record<string, unknown> {
  if (sealed === null) return {};
  const text = openSecret(key, name, sealed);
  if (text === undefined) throw new SecretsUnreadable(name);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The names of the secrets a source holds (what the API shows instead of their values). */
export function secretNames(kind: SourceKind, secrets: Record<string, unknown>): string[] {
  return SECRET_FIELDS[kind].filter((f) => secrets[f] !== undefined);
}

export class SecretsUnreadable extends Error {
  constructor(name: string) {
    super(
      `the secrets of ${name.split(':').slice(0, 2).join(' ')} do not open under this server's secret key (NEXUS_SECRET_KEY changed?)`,
    );
  }
}
