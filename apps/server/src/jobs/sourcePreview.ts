import { CANONICAL_FIELDS, type CanonicalRecord, type FieldError } from '@nexus/schema';
import { classifyFailure, FetchFailure } from './fetchFailure';
import { sourceRows, type FetchEnvironment, type OpenedSource } from './sourceRows';

const canonical = new Set<string>(CANONICAL_FIELDS);

export type PreviewRow =
  | { line: number; ok: true; record: CanonicalRecord }
  | { line: number; ok: false; errors: FieldError[]; externalId: string | null };

/**
 * What "test the connection" answers: the source was reached and read (its columns after the
 * map, the first rows as records or why not), or why it could not be, as a job would fail.
 */
export type SourcePreview =
  | {
      ok: true;
      /** Column names records are keyed by, after the map. */
      columns: string[];
      /** Of those, the ones that are canonical fields (matched on). */
      mapped: string[];
      /** Of those, the ones kept as attributes (not matched on): rename them with the map. */
      unmapped: string[];
      rows: PreviewRow[];
      /** The source has rows beyond the ones shown. */
      more: boolean;
      ms: number;
    }
  | { ok: false; error: { code: string; message: string; retryable: boolean }; ms: number };

/**
 * Reads the first `rows` rows of a source, exactly as a job reads it (same policy, readers and
 * map), and stops: nothing is stored. The whole test is bounded by `deadlineMs`, so a source that
 * trickles is answered as a timeout rather than held open.
 */
export async function previewSource(
  source: OpenedSource,
  env: Omit<FetchEnvironment, 'signal' | 'onColumns'>,
  rows: number,
  deadlineMs: number,
): Promise<SourcePreview> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const deadline = setTimeout(
    () =>
      controller.abort(
        new FetchFailure('FETCH.TIMEOUT', `the source gave no rows within ${deadlineMs} ms`, true),
      ),
    deadlineMs,
  );
  let columns: string[] = [];
  const shown: PreviewRow[] = [];
  let more = false;
  try {
    const read = sourceRows(source, {
      ...env,
      signal: controller.signal,
      onColumns: (c) => {
        if (columns.length === 0) columns = c;
      },
    });
    for await (const row of read) {
      if (shown.length === rows) {
        more = true;
        break;
      }
      shown.push(
        row.ok
          ? { line: row.line, ok: true, record: row.record }
          : { line: row.line, ok: false, errors: row.errors, externalId: row.externalId ?? null },
      );
    }
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    const failure = classifyFailure(reason);
    return {
      ok: false,
      error: { code: failure.code, message: failure.message, retryable: failure.retryable },
      ms: ms(),
    };
  } finally {
    clearTimeout(deadline);
    controller.abort();
  }
  return {
    ok: true,
    columns,
    mapped: columns.filter((c) => canonical.has(c)),
    unmapped: columns.filter((c) => !canonical.has(c)),
    rows: shown,
    more,
    ms: ms(),
  };
}
