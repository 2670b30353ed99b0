import { parseCanonicalRecord, type CanonicalRecord, type FieldError } from '@nexus/schema';
import { excerpt } from './errors';

/** One record read from a file, or why a row could not be used. `line` is the 1-based line it starts on. */
export type RecordRow =
  | { line: number; ok: true; record: CanonicalRecord; warnings: FieldError[] }
  | { line: number; ok: false; errors: FieldError[]; raw?: string; externalId?: string };

/** What the CSV and NDJSON readers share. */
export interface ReaderContext {
  path: string;
  /** Normalised `--map` (column -> canonical field). */
  map: Map<string, string>;
  source: string | undefined;
  maxRowChars: number;
  onColumns: ((columns: string[]) => void) | undefined;
}

/** Field name used for problems with the row as a whole (its shape, not one value). */
export const ROW = '(row)';

export function badRow(line: number, message: string, raw: string): RecordRow {
  return { line, ok: false, errors: [{ field: ROW, message }], raw: excerpt(raw) };
}

/** Parses an object of column names to values into a canonical record. */
export function toRecordRow(
  line: number,
  raw: Record<string, unknown>,
  text: string,
  source: string | undefined,
): RecordRow {
  const parsed = parseCanonicalRecord(raw, { source });
  if (parsed.ok) return { line, ok: true, record: parsed.record, warnings: parsed.warnings };
  // The row's own id, when it has one, so that its rejection can be reported against it.
  const id = raw.external_id;
  const externalId = typeof id === 'string' && id.trim() !== '' ? id.trim() : undefined;
  return externalId === undefined
    ? { line, ok: false, errors: parsed.errors, raw: excerpt(text) }
    : { line, ok: false, errors: parsed.errors, raw: excerpt(text), externalId };
}
