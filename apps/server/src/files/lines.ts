import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { RecordFileError } from './errors';

/** One physical line: its 1-based number and its text without the '\n' (a '\r' before it is kept). */
export interface PhysicalLine {
  no: number;
  text: string;
  /** The line was longer than the limit: `text` holds only its beginning; the rest was dropped. */
  overlong?: boolean;
}

export interface LineOptions {
  signal?: AbortSignal;
  /** Longest line kept whole, in characters; a longer one is cut and marked overlong. */
  maxLineChars: number;
  /** Read size in bytes (tests use tiny ones to cross chunk boundaries). */
  chunkSize?: number;
}

/** Checks that `path` is a readable, non-empty regular file; throws RecordFileError otherwise. */
export async function checkFile(path: string): Promise<void> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    throw fileError(err, path);
  }
  if (info.isDirectory()) throw new RecordFileError('FILE.UNREADABLE', path, 'is a directory, not a file');
  if (info.isFile() && info.size === 0) throw new RecordFileError('FILE.EMPTY', path, 'is empty');
}

/** Translates a file-system error into a RecordFileError (an abort passes through unchanged). */
export function fileError(err: unknown, path: string): unknown {
  if (err instanceof RecordFileError || (err instanceof Error && err.name === 'AbortError')) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new RecordFileError('FILE.NOT_FOUND', path, 'no such file', { cause: err });
  const why =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied' : String((err as Error).message ?? err);
  return new RecordFileError('FILE.UNREADABLE', path, `cannot be read: ${why}`, { cause: err });
}

/**
 * Streams a UTF-8 file as physical lines, holding at most one line (bounded by maxLineChars) in
 * memory. The BOM is stripped; a file that looks binary or UTF-16 is refused.
 */
export function readLines(path: string, options: LineOptions): AsyncGenerator<PhysicalLine> {
  const stream = createReadStream(path, {
    encoding: 'utf8',
    highWaterMark: options.chunkSize ?? 1 << 16,
    signal: options.signal,
  });
  return linesOf(stream as AsyncIterable<string>, path, options);
}

/**
 * The same for any stream of decoded text (an HTTP body, an object in a store); `label` names it
 * in errors.
 */
export async function* linesOf(
  chunks: AsyncIterable<string>,
  path: string,
  options: Pick<LineOptions, 'maxLineChars'> & {
    /** Leave the stream's own errors as they are (a network failure is not a file problem). */
    keepStreamErrors?: boolean;
  },
): AsyncGenerator<PhysicalLine> {
  const { maxLineChars } = options;
  let pending = '';
  let no = 1;
  let dropping = false; // inside an overlong line, waiting for its end
  let first = true;
  try {
    for await (const chunk of chunks) {
      let text = chunk;
      if (first && text !== '') {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        if (text.includes('\0') || text.startsWith('\ufffd\ufffd')) {
          throw new RecordFileError(
            'FILE.UNREADABLE',
            path,
            'is not a UTF-8 text file (it has NUL bytes: compressed, binary or UTF-16?); save it as UTF-8 CSV or NDJSON',
          );
        }
      }
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (!dropping) {
          const line = pending + text.slice(start, nl);
          yield line.length > maxLineChars
            ? { no, text: line.slice(0, 200), overlong: true }
            : { no, text: line };
        }
        pending = '';
        dropping = false;
        no++;
        start = nl + 1;
      }
      if (dropping) continue;
      pending += text.slice(start);
      if (pending.length > maxLineChars) {
        yield { no, text: pending.slice(0, 200), overlong: true };
        pending = '';
        dropping = true;
      }
    }
  } catch (err) {
    if (options.keepStreamErrors && !(err instanceof RecordFileError)) throw err;
    throw fileError(err, path);
  }
  if (pending !== '' && !dropping) yield { no, text: pending };
}
