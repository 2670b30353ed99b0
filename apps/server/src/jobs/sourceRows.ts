import path from 'node:path';
import type { SourceKind } from '@nexus/schema';
import { readRecordText, type RecordRow } from '../files';
import { fileText } from './fileSource';
import { FetchFailure } from './fetchFailure';
import { postgresRows } from './postgresSource';
import { s3Keys, s3Text, type S3Fetch } from './s3Source';
import type { SourceHosts } from './sourceHosts';
import { urlText } from './urlSource';
import { required } from '@nexus/schema';

/** A source's settings and secrets, opened, as a job runs them. */
export interface OpenedSource {
  kind: SourceKind;
  settings: Record<string, unknown>;
  secrets: Record<string, unknown>;
  map: Record<string, string>;
  recordSource: string;
}

export interface FetchEnvironment {
  hosts: SourceHosts;
  importDirs: readonly string[];
  /** Where POST /api/v1/uploads keeps files. */
  uploadDir: string;
  idleTimeoutMs: number;
  /** Rows per cursor read (Postgres). */
  chunkRows: number;
  signal: AbortSignal;
  /** Told the column names records are keyed by (after the map), once, before the first row. */
  onColumns?: ((columns: string[]) => void) | undefined;
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const format = (s: Record<string, unknown>): 'csv' | 'ndjson' | undefined => {
  const f = str(s.format);
  return f === 'csv' || f === 'ndjson' ? f : undefined;
};

/**
 * The source's rows from the beginning, each a record or why it is not one. Whole-source problems
 * (refused, unreadable, not records) throw, as FetchFailure or RecordFileError.
 */
export function sourceRows(source: OpenedSource, env: FetchEnvironment): AsyncIterable<RecordRow> {
  const s = source.settings;
  // The spec's checks (checkSpec) keep these for their kind; a saved row without one fails here.
  const needed = (v: unknown, name: string) => required(str(v), `${name} of a ${source.kind} source`);
  const options = {
    map: source.map,
    source: source.recordSource,
    format: format(s),
    onColumns: env.onColumns,
  };
  switch (source.kind) {
    case 'url': {
      const url = needed(s.url, 'url');
      const headers: Record<string, string> = {
        ...((source.secrets.headers as Record<string, string>) ?? {}),
      };
      const token = str(source.secrets.bearerToken);
      if (token) headers.authorization = `Bearer ${token}`;
      const label = labelOf(url);
      return readRecordText(
        urlText({ url, headers, hosts: env.hosts, idleTimeoutMs: env.idleTimeoutMs, signal: env.signal }),
        label,
        options,
      );
    }
    case 'file': {
      const file = needed(s.path, 'path');
      return lazy(async () =>
        readRecordText(await fileText(file, env.importDirs, env.signal), file, options),
      );
    }
    case 'upload': {
      const file = path.join(env.uploadDir, `${needed(s.uploadId, 'uploadId')}.upload`);
      return lazy(async () =>
        readRecordText(
          await fileText(file, [env.uploadDir], env.signal),
          str(s.fileName) ?? 'the upload',
          options,
        ),
      );
    }
    case 'postgres':
      return postgresRows({
        connectionString: needed(source.secrets.connectionString, 'connectionString secret'),
        query: needed(s.query, 'query'),
        map: source.map,
        source: source.recordSource,
        chunkRows: env.chunkRows,
        idleTimeoutMs: env.idleTimeoutMs,
        signal: env.signal,
        onColumns: env.onColumns,
      });
    case 's3': {
      const fetch: S3Fetch = {
        bucket: needed(s.bucket, 'bucket'),
        key: str(s.key),
        prefix: str(s.prefix),
        region: str(s.region) ?? 'us-east-1',
        endpoint: str(s.endpoint),
        forcePathStyle: typeof s.forcePathStyle === 'boolean' ? s.forcePathStyle : undefined,
        accessKeyId: str(source.secrets.accessKeyId),
        secretAccessKey: str(source.secrets.secretAccessKey),
        sessionToken: str(source.secrets.sessionToken),
        idleTimeoutMs: env.idleTimeoutMs,
        signal: env.signal,
      };
      return s3Rows(fetch, options);
    }
    default:
      throw new FetchFailure('FETCH.INVALID_SOURCE', `unknown source kind ${String(source.kind)}`, false);
  }
}

/** Objects under a prefix, one after another; row positions run on across them. */
async function* s3Rows(
  fetch: S3Fetch,
  options: Parameters<typeof readRecordText>[2],
): AsyncGenerator<RecordRow> {
  let offset = 0;
  for (const key of await s3Keys(fetch)) {
    let last = 0;
    for await (const row of readRecordText(s3Text(fetch, key), key, options)) {
      last = row.line;
      yield { ...row, line: offset + row.line };
    }
    offset += last;
  }
}

async function* lazy(open: () => Promise<AsyncIterable<RecordRow>>): AsyncGenerator<RecordRow> {
  yield* await open();
}

/** The URL's path names it in errors (and gives the format by extension), never its query string. */
function labelOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'the URL';
  }
}
