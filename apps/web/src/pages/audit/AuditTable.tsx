import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import { AuditChanges } from '../../ui/AuditChanges';
import { formatDateTime } from '../../ui/format';
import type { AuditEntry } from './auditFilters';

const short = (id: string) => (id.length > 12 ? `…${id.slice(-8)}` : id);

function EntityRef({ e }: { e: AuditEntry }) {
  // Users are known by name; the entry about them usually carries it.
  const name = e.entityType === 'user' ? (e.after?.username ?? e.before?.username) : undefined;
  const label = `${e.entityType.replace(/_/g, ' ')} ${typeof name === 'string' ? name : short(e.entityId)}`;
  if (e.entityType === 'golden_record') return <Link to={`/customers/${e.entityId}`}>{label}</Link>;
  if (e.entityType === 'review_case') return <Link to={`/review/${e.entityId}`}>{label}</Link>;
  if (e.entityType === 'batch') return <Link to={`/batches/${e.entityId}`}>{label}</Link>;
  return <span title={e.entityId}>{label}</span>;
}

/** Newest first; each entry opens to its before and after. */
export function AuditTable({ entries, fresh }: { entries: AuditEntry[]; fresh: ReadonlySet<string> }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setOpen((s) => {
      const next = new Set(s);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div className="table-wrap">
      <table className="audit-table" aria-label="Audit entries">
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Entity</th>
            <th>Record</th>
            <th aria-label="Details" />
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr className={fresh.has(e.id) ? 'audit-fresh' : undefined}>
                  <td className="nowrap">
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code className="action">{e.action}</code>
                  </td>
                  <td>
                    <EntityRef e={e} />
                  </td>
                  <td>
                    {e.recordId ? (
                      <code title={e.recordId}>{short(e.recordId)}</code>
                    ) : (
                      <span className="muted">–</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="button-link"
                      aria-expanded={expanded}
                      aria-controls={`audit-${e.id}`}
                      aria-label={`${expanded ? 'Hide' : 'Show'} changes of entry ${e.id}`}
                      onClick={() => toggle(e.id)}
                    >
                      {expanded ? 'Hide' : 'Changes'}
                    </button>
                  </td>
                </tr>
                {expanded ? (
                  <tr id={`audit-${e.id}`} className="audit-detail">
                    <td colSpan={6}>
                      <AuditChanges before={e.before} after={e.after} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
