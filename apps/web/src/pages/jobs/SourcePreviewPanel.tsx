import { formatCount } from '../../ui/format';

export type Preview =
  | {
      ok: true;
      columns: string[];
      mapped: string[];
      unmapped: string[];
      rows: Array<
        | { line: number; ok: true; record: Record<string, unknown> }
        | { line: number; ok: false; errors: Array<{ field: string; message: string }> }
      >;
      more: boolean;
      ms: number;
    }
  | { ok: false; error: { code: string; message: string; retryable: boolean }; ms: number };

/** What "test the connection" found: the columns and first rows, or why the source could not be read. */
export function SourcePreviewPanel({ preview }: { preview: Preview }) {
  if (!preview.ok)
    return (
      <section aria-label="Connection test" className="notice notice-error" role="alert">
        The source could not be read ({preview.error.code}): {preview.error.message}
        {preview.error.retryable ? ' A job would try again.' : ''}
      </section>
    );
  return (
    <section aria-label="Connection test">
      <p className="notice notice-ok" role="status">
        Connected in {formatCount(preview.ms)} ms: {preview.rows.length} rows read
        {preview.more ? ' (and more)' : ''}. Matched on: {preview.mapped.join(', ') || 'none'}.
        {preview.unmapped.length > 0 ? ` Kept as attributes: ${preview.unmapped.join(', ')}.` : ''}
      </p>
      <div className="table-wrap">
        <table aria-label="First rows">
          <thead>
            <tr>
              <th>Line</th>
              {preview.columns.map((c) => (
                <th key={c}>{c}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                {r.ok ? (
                  preview.columns.map((c) => <td key={c}>{cellOf(r.record, c)}</td>)
                ) : (
                  <td colSpan={preview.columns.length}>
                    rejected: {r.errors.map((e) => `${e.field} ${e.message}`).join('; ')}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A column's value in a record: a canonical field, or else an attribute it was kept as. */
function cellOf(record: Record<string, unknown>, column: string): string {
  const attributes = record.attributes as Record<string, unknown> | undefined;
  const value = record[column] ?? attributes?.[column];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}
