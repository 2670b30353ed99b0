import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { formatAgo, formatCount, formatDateTime, messageOf } from '../../ui/format';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';

const STATUSES = ['queued', 'fetching', 'deciding', 'completed', 'failed', 'cancelled'] as const;
type Status = (typeof STATUSES)[number];

/** Jobs, newest first, refreshed while any runs; a status filter kept in the URL; start one from a source. */
export function JobsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const status = STATUSES.find((s) => s === params.get('status'));
  const jobs = useQuery({
    queryKey: ['jobs.list', status],
    queryFn: () => api.jobs.list.query(status ? { status, limit: 100 } : { limit: 100 }),
    refetchInterval: 2000,
  });
  const sources = useQuery({ queryKey: ['jobs.sources'], queryFn: () => api.jobs.sources.query() });
  const [sourceId, setSourceId] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="jobs-page">
      <PageHeader title="Jobs" />
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <form
        className="inline-form"
        aria-label="Start a job"
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          api.jobs.create.mutate({ sourceId }).then(
            () => void jobs.refetch(),
            (err: unknown) => setError(messageOf(err)),
          );
        }}
      >
        <label>
          Source{' '}
          <select value={sourceId} onChange={(e) => setSourceId(e.target.value)} required>
            <option value="">choose a source</option>
            {(sources.data ?? []).map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Start job</button>
        <label>
          Status{' '}
          <select
            value={status ?? ''}
            onChange={(e) => setParams(e.target.value ? { status: e.target.value } : {})}
          >
            <option value="">all</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </form>
      {jobs.isPending ? (
        <Skeleton rows={5} />
      ) : jobs.isError ? (
        <ErrorNotice error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : jobs.data.length === 0 ? (
        <EmptyState title={status ? `No ${status} jobs` : 'No jobs yet'}>
          Start one from a saved source, above or on the Sources page.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table aria-label="Jobs">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th>Read</th>
                <th>Accepted</th>
                <th>Rejected</th>
                <th>Pending</th>
                <th>Started</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.map((j: JobRow) => (
                <tr key={j.id}>
                  <td>
                    <Link to={`/jobs/${j.id}`}>{j.name}</Link> <span className="badge">{j.kind}</span>
                  </td>
                  <td>
                    <span className={`badge job-${j.status}`}>{j.status}</span>
                  </td>
                  <td>{formatCount(j.counts.read)}</td>
                  <td>{formatCount(j.counts.accepted)}</td>
                  <td>{formatCount(j.counts.rejected)}</td>
                  <td>{formatCount(j.counts.pending)}</td>
                  <td title={formatDateTime(j.createdAt)}>{formatAgo(j.createdAt, Date.now())}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

interface JobRow {
  id: string;
  name: string;
  kind: string;
  status: Status;
  counts: { read: number; accepted: number; rejected: number; pending: number };
  createdAt: string;
}
