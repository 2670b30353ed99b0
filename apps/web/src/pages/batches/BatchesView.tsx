import { Link } from 'react-router';
import { formatAgo, formatDateTime } from '../../ui/format';
import { LoadMore, type PagedList } from '../../ui/paging';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import { BatchProgress } from './BatchProgress';
import type { Batch } from './batchTypes';
import { DecisionCounts } from './DecisionCounts';
import { isRunning, labelOfStatus } from './decisions';

export const shortId = (id: string) => id.slice(0, 8);

export function StatusBadge({ status }: { status: string }) {
  const tone =
    status === 'completed' ? 'status-done' : isRunning(status) ? 'status-running' : `status-${status}`;
  return <span className={`badge ${tone}`}>{labelOfStatus(status)}</span>;
}

/** Batches newest first: who sent them, when, and how far the engine is with each, live. */
export function BatchesView({
  batches,
  loading,
  error,
  onRetry,
  hasMore,
  loadingMore,
  onLoadMore,
  now = Date.now(),
}: PagedList & {
  batches: Batch[];
  now?: number;
}) {
  if (error && batches.length === 0) return <ErrorNotice error={error} onRetry={onRetry} />;
  if (loading) return <Skeleton rows={8} height="2.6rem" />;
  if (batches.length === 0) {
    return (
      <EmptyState title="No batches yet">
        Submit a CSV or JSON file with <strong>New batch</strong>, or send one to{' '}
        <code>POST /api/v1/records</code>.
      </EmptyState>
    );
  }
  return (
    <>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      <div className="table-wrap">
        <table className="batches-table" aria-label="Batches">
          <thead>
            <tr>
              <th>Batch</th>
              <th>Submitted</th>
              <th className="col-progress">Progress</th>
              <th>Decisions</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/batches/${b.id}`} className="batch-link">
                    {b.source}
                  </Link>
                  <div className="muted mono" title={b.id}>
                    {shortId(b.id)}
                  </div>
                </td>
                <td>
                  <div className="nowrap" title={formatAgo(b.createdAt, now)}>
                    {formatDateTime(b.createdAt)}
                  </div>
                  <div className="muted">
                    {b.submittedBy ? `by ${b.submittedBy}` : 'submitter not recorded'}
                  </div>
                </td>
                <td className="col-progress">
                  <BatchProgress
                    counts={b.counts}
                    label={`Progress of ${b.source}`}
                    status={<StatusBadge status={b.status} />}
                  />
                </td>
                <td>
                  <DecisionCounts counts={b.counts} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore
        hasMore={hasMore}
        loadingMore={loadingMore}
        onLoadMore={onLoadMore}
        label="Show older batches"
      />
    </>
  );
}
