import { extname } from 'node:path';
import { MAX_FACE_IMAGE_LENGTH } from '@nexus/schema';
import { normaliseColumnMap } from './columns';
import { readCsvRecords } from './csv';
import { RecordFileError } from './errors';
import { checkFile, linesOf, readLines, type PhysicalLine } from './lines';
import { readNdjsonRecords } from './ndjson';
import type { ReaderContext, RecordRow } from './rows';

/** Longest row read, in characters: room for the largest face image (data: URL) and the other fields. */
export const DEFAULT_MAX_ROW_CHARS = MAX_FACE_IMAGE_LENGTH + 2_000_000;

export interface ReadRecordFileOptions {
  /** Column renames (`--map`), column -> canonical field; see parseColumnMap. */
  map?: Record<string, string>;
  /** Source given to records that have no source column. */
  source?: string;
  signal?: AbortSignal;
  /** Called once with the column names after mapping (CSV header, or the first NDJSON object's keys). */
  onColumns?: (columns: string[]) => void;
  /** Longest row in characters (default DEFAULT_MAX_ROW_CHARS); a longer one is reported and skipped. */
  maxRowChars?: number;
  /** Read size in bytes; for tests. */
  chunkSize?: number;
  /** The format when the caller knows it; else by extension, then by the first character. */
  format?: RecordFileFormat;
}

export type RecordFileFormat = 'csv' | 'ndjson';

/** NDJSON by extension (.ndjson, .jsonl), CSV by extension (.csv, .tsv), else by the first character. */
export function detectFormat(path: string, firstLine: string): RecordFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  const c = firstLine.trimStart()[0];
  if (c === '<') {
    throw new RecordFileError(
      'FILE.UNREADABLE',
      path,
      'is HTML or XML (a web page, perhaps a sign-in or error page), not CSV or NDJSON',
    );
  }
  if (c === '[') {
    throw new RecordFileError(
      'FILE.UNREADABLE',
      path,
      'is a JSON array; write one JSON object per line (NDJSON) instead',
    );
  }
  return c === '{' ? 'ndjson' : 'csv';
}

/**
 * Streams person records from a CSV file (header row, any of , ; tab | as delimiter) or an NDJSON
 * file. Rows that cannot be used come through with ok: false and their line; reading goes on.
 * Problems with the whole file throw RecordFileError when iteration starts (or, for an empty
 * file, ends).
 */
export function readRecordFile(path: string, options: ReadRecordFileOptions = {}): AsyncIterable<RecordRow> {
  return generate(path, options);
}

async function* generate(path: string, options: ReadRecordFileOptions): AsyncGenerator<RecordRow> {
  const ctx: ReaderContext = {
    path,
    map: normaliseColumnMap(options.map),
    source: options.source,
    maxRowChars: options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS,
    onColumns: options.onColumns,
  };
  options.signal?.throwIfAborted();
  await checkFile(path);
  const lines = readLines(path, {
    maxLineChars: ctx.maxRowChars,
    signal: options.signal,
    chunkSize: options.chunkSize,
  });
  yield* readRecordLines(lines, ctx, options.format);
}

/**
 * Person records from text that is not a local file (an HTTP body, an object in a store), read
 * exactly as a file is; `label` names it in errors and picks the format by its extension.
 */
export function readRecordText(
  chunks: AsyncIterable<string>,
  label: string,
  options: Omit<ReadRecordFileOptions, 'signal' | 'chunkSize'> = {},
): AsyncIterable<RecordRow> {
  const ctx: ReaderContext = {
    path: label,
    map: normaliseColumnMap(options.map),
    source: options.source,
    maxRowChars: options.maxRowChars ?? DEFAULT_MAX_ROW_CHARS,
    onColumns: options.onColumns,
  };
  const lines = linesOf(chunks, label, { maxLineChars: ctx.maxRowChars, keepStreamErrors: true });
  return readRecordLines(lines, ctx, options.format);
}

async function* readRecordLines(
  lines: AsyncGenerator<PhysicalLine>,
  ctx: ReaderContext,
  known: RecordFileFormat | undefined,
): AsyncGenerator<RecordRow> {
  const path = ctx.path;
  try {
    let first = await lines.next();
    while (!first.done && !first.value.overlong && first.value.text.trim() === '') first = await lines.next();
    if (first.done) throw new RecordFileError('FILE.EMPTY', path, 'has only blank lines');
    const rest = prepend(first.value, lines);
    const format = known ?? detectFormat(path, first.value.text);
    // Whatever the caller expected, a web page is never records.
    if (known !== undefined && first.value.text.trimStart().startsWith('<'))
      detectFormat('', first.value.text);
    yield* format === 'ndjson' ? readNdjsonRecords(rest, ctx) : readCsvRecords(rest, ctx);
  } finally {
    await lines.return(undefined);
  }
}

async function* prepend(
  first: PhysicalLine,
  rest: AsyncIterator<PhysicalLine>,
): AsyncGenerator<PhysicalLine> {
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}
