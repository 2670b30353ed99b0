import pg from 'pg';
import Cursor from 'pg-cursor';
import { resolveHeader } from '../files/columns';
import { RecordFileError } from '../files';
import { normaliseColumnMap } from '../files/columns';
import { toRecordRow, type RecordRow } from '../files/rows';
import { FetchFailure } from './fetchFailure';
import { required } from '@nexus/schema';

export interface PostgresFetch {
  connectionString: string;
  query: string;
  map: Record<string, string>;
  source: string;
  chunkRows: number;
  idleTimeoutMs: number;
  signal: AbortSignal;
  onColumns?: ((columns: string[]) => void) | undefined;
}

/** Every value as Postgres writes it in text: dates stay dates, not local-midnight instants. */
const TEXT_TYPES = { getTypeParser: () => (value: string) => value };

/**
 * Reads a query's rows through a server-side cursor, `chunkRows` at a time, in a READ ONLY
 * transaction (a job reads; its query cannot write). Each row is mapped like a CSV row (the
 * column names are the header) and numbered from 1, the position a resumed fetch skips to.
 */
export async function* postgresRows(fetch: PostgresFetch): AsyncGenerator<RecordRow> {
  const client = new pg.Client({
    connectionString: fetch.connectionString,
    application_name: 'nexus-job',
    connectionTimeoutMillis: fetch.idleTimeoutMs,
    query_timeout: undefined,
    types: TEXT_TYPES,
  });
  // A lost connection is reported on the client too: without a listener it would crash the process.
  client.on('error', () => undefined);
  const onAbort = () => void client.end().catch(() => undefined);
  fetch.signal.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw connectFailure(error);
    }
    await client.query('begin transaction read only');
    const cursor = client.query(new Cursor(fetch.query, undefined, { types: TEXT_TYPES }));
    const map = normaliseColumnMap(fetch.map);
    let columns: string[] | undefined;
    let names: string[] = [];
    let no = 0;
    for (;;) {
      const { rows, fields } = await read(cursor, fetch.chunkRows);
      fetch.signal.throwIfAborted();
      if (columns === undefined) {
        names = fields;
        if (names.length === 0 && rows.length === 0)
          throw new FetchFailure('FILE.EMPTY', 'the query returned no rows', false);
        columns = resolveHeader(names, map, 'the query');
        fetch.onColumns?.(columns.filter((c) => c !== ''));
      }
      if (rows.length === 0) break;
      for (const row of rows) {
        no++;
        const raw: Record<string, string> = {};
        columns.forEach((c, i) => {
          const v = row[required(names[i], `name of the query's column ${i}`)];
          // With TEXT_TYPES every value comes back as Postgres's own text.
          if (c !== '' && typeof v === 'string') raw[c] = v;
        });
        yield toRecordRow(no, raw, JSON.stringify(row), fetch.source);
      }
    }
    if (no === 0) throw new FetchFailure('FILE.EMPTY', 'the query returned no rows', false);
    await cursor.close().catch(() => undefined);
  } catch (error) {
    if (fetch.signal.aborted) throw fetch.signal.reason;
    if (error instanceof RecordFileError) throw new FetchFailure(error.code, error.message, false);
    throw error;
  } finally {
    fetch.signal.removeEventListener('abort', onAbort);
    await client.end().catch(() => undefined);
  }
}

/** The next rows, with the column names (known from the first read on). */
function read(
  cursor: Cursor,
  rows: number,
): Promise<{ rows: Array<Record<string, unknown>>; fields: string[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, got, result) => {
      if (error) return reject(error);
      resolve({
        rows: got as Array<Record<string, unknown>>,
        fields: ((result as { fields?: Array<{ name: string }> } | undefined)?.fields ?? []).map(
          (f) => f.name,
        ),
      });
    });
  });
}

function connectFailure(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message ?? String(error);
  if (code?.startsWith('28') || code === '3D000')
    return new FetchFailure('FETCH.UNAUTHORIZED', `the database refused the connection: ${message}`, false);
  return error;
}
