/** Stable codes for problems that stop a whole file from being read (the CLI prints them as they are). */
export type RecordFileErrorCode =
  | 'FILE.NOT_FOUND'
  | 'FILE.EMPTY'
  | 'FILE.NO_HEADER'
  | 'FILE.NO_EXTERNAL_ID_COLUMN'
  | 'FILE.DUPLICATE_COLUMN'
  | 'FILE.UNREADABLE';

/** A whole-file problem: the file cannot be read as person records at all. */
export class RecordFileError extends Error {
  override readonly name = 'RecordFileError';

  constructor(
    readonly code: RecordFileErrorCode,
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
  }
}

/** A `--map` specification that cannot be used. */
export class ColumnMapError extends Error {
  override readonly name = 'ColumnMapError';
  readonly code = 'MAP.INVALID';
}

/** Shortens a value for an error message or a `raw` excerpt. */
export function excerpt(text: string, max = 200): string {
  return text.length <= max
    ? text
    : `${text.slice(0, max)}... (${text.length.toLocaleString('en')} characters)`;
}
