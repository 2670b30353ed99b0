import { Link } from 'react-router';
import { formatCount, formatDateTime } from '../../ui/format';
import { LoadMore, type PagedList } from '../../ui/paging';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import type { BatchCounts, BatchRecord, RecordFilter } from './batchTypes';
import { DECISIONS, decisionOf } from './decisions';

function Outcome({ record }: { record: BatchRecord }) {
  if (record.reviewCaseId) return <Link to={`/review/${record.reviewCaseId}`}>Review case</Link>;
  if (record.goldenId) return <Link to={`/customers/${record.goldenId}`}>Golden record</Link>;
  if (record.problem) return <span className="problem">{record.problem}</span>;
  return <span className="muted">—</span>;
}

/** A batch's records with their decisions, filtered by decision, each leading to where it went. */
export function BatchRecordsTable({
  counts,
  records,
  filter,
  onFilter,
  loading,
  error,
  onRetry,
  hasMore,
  loadingMore,
  onLoadMore,
}: PagedList & {
  counts: BatchCounts | undefined;
  records: BatchRecord[];
  filter: RecordFilter | null;
  onFilter: (filter: RecordFilter | null) => void;
}) {
  const choices = DECISIONS.filter((d) => d.key !== 'cancelled' || (counts?.cancelled ?? 0) > 0);
  return (
    <section className="card batch-records" aria-labelledby="batch-records-title">
      <div className="section-head">
        <h2 id="batch-records-title">Records</h2>
        <div className="segmented" role="group" aria-label="Show records">
          <button type="button" aria-pressed={filter === null} onClick={() => onFilter(null)}>
            All <span className="count">{formatCount(counts?.records)}</span>
          </button>
          {choices.map((d) => (
            <button key={d.key} type="button" aria-pressed={filter === d.key} onClick={() => onFilter(d.key)}>
              {d.label} <span className="count">{formatCount(counts?.[d.key])}</span>
            </button>
          ))}
        </div>
      </div>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {loading ? (
        <Skeleton rows={8} height="1.9rem" />
      ) : records.length === 0 && !error ? (
        <EmptyState title={filter ? 'No records with this decision' : 'No records in this batch'}>
          {filter
            ? 'Pick another decision above.'
            : 'Every row was a duplicate or invalid: nothing was stored.'}
        </EmptyState>
      ) : (
        <div className="table-wrap flat">
          <table aria-label="Records of the batch">
            <thead>
              <tr>
                <th>External id</th>
                <th>Name</th>
                <th>Decision</th>
                <th>Rule</th>
                <th>Decided</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => {
                const decision = decisionOf(r.status);
                const label = DECISIONS.find((d) => d.key === decision)?.label ?? r.status;
                return (
                  <tr key={r.id}>
                    <td className="mono">{r.externalId}</td>
                    <td>{r.name || <span className="muted">—</span>}</td>
                    <td>
                      <span className={`badge decision-${decision}`}>{label}</span>
                    </td>
                    <td className="muted" title={r.rule ?? undefined}>
                      {r.rule ? r.rule.replaceAll('_', ' ') : '—'}
                    </td>
                    <td className="nowrap">{r.decidedAt ? formatDateTime(r.decidedAt) : '—'}</td>
                    <td>
                      <Outcome record={r} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore
        hasMore={hasMore}
        loadingMore={loadingMore}
        onLoadMore={onLoadMore}
        label="Show more records"
      />
    </section>
  );
}
