import './auditChanges.css';
/**
 * An audit entry's before and after side by side, field by field (nested objects flattened to
 * dotted paths), changed fields marked; the raw JSON of both stays one click away.
 */
type Json = Record<string, unknown> | null;

export interface FieldChange {
  path: string;
  before: string | undefined;
  after: string | undefined;
  kind: 'added' | 'removed' | 'changed' | 'same';
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, show(value));
  }
}

export function fieldChanges(before: Json, after: Json): FieldChange[] {
  const b = new Map<string, string>();
  const a = new Map<string, string>();
  flatten(before ?? {}, '', b);
  flatten(after ?? {}, '', a);
  const paths = [...new Set([...b.keys(), ...a.keys()])];
  return paths.map((path) => {
    const was = b.get(path);
    const now = a.get(path);
    const kind =
      was === undefined ? 'added' : now === undefined ? 'removed' : was === now ? 'same' : 'changed';
    return { path, before: was, after: now, kind };
  });
}

export function AuditChanges({ before, after }: { before: Json; after: Json }) {
  const changes = fieldChanges(before, after);
  if (changes.length === 0) return <p className="muted">Nothing recorded before or after.</p>;
  return (
    <div className="audit-changes">
      <table>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={c.path} className={`change-${c.kind}`}>
              <th scope="row">
                <code>{c.path}</code>
              </th>
              <td>{c.before ?? <span className="muted">–</span>}</td>
              <td>
                {c.after ?? <span className="muted">–</span>}
                {c.kind !== 'same' ? <span className="visually-hidden"> ({c.kind})</span> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details className="audit-raw">
        <summary>Raw JSON</summary>
        <pre>{JSON.stringify({ before, after }, null, 2)}</pre>
      </details>
    </div>
  );
}
