import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { useApi, useSession } from '../../api/ApiProvider';
import { downloadFile } from '../../api/downloadFile';
import { useLive } from '../../api/useLive';
import { formatCount, formatDateTime, formatMs, messageOf } from '../../ui/format';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const COUNTS = [
  'read',
  'accepted',
  'rejected',
  'pending',
  'new',
  'linked',
  'review',
  'dead_lettered',
  'cancelled',
] as const;

export function JobDetailPage() {
  const { jobId = '' } = useParams();
  return UUID.test(jobId) ? (
    <JobDetail jobId={jobId} />
  ) : (
    <EmptyState title="No such job">{jobId} is not a job id. Pick a job from the list.</EmptyState>
  );
}

/** One job: live status and counts over the WebSocket, each step timed, its runs, rejections, actions. */
function JobDetail({ jobId }: { jobId: string }) {
  const api = useApi();
  const { session } = useSession();
  const queryClient = useQueryClient();
  const key = ['jobs.get', jobId];
  const job = useQuery({ queryKey: key, queryFn: () => api.jobs.get.query({ jobId }) });
  const runs = useQuery({ queryKey: ['jobs.runs', jobId], queryFn: () => api.jobs.runs.query({ jobId }) });
  const rejections = useQuery({
    queryKey: ['jobs.rejections', jobId],
    queryFn: () => api.jobs.rejections.query({ jobId, limit: 100 }),
  });
  const live = useLive<{ data: NonNullable<typeof job.data> }>(
    `job-${jobId}`,
    (handlers) => api.jobs.progress.subscribe({ jobId }, handlers),
    ({ data }) => {
      queryClient.setQueryData(key, data);
      void queryClient.invalidateQueries({ queryKey: ['jobs.runs', jobId] });
      void queryClient.invalidateQueries({ queryKey: ['jobs.rejections', jobId] });
    },
  );
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const act = (what: string, call: () => Promise<unknown>) =>
    call().then(
      () => {
        setNotice({ tone: 'ok', text: what });
        void queryClient.invalidateQueries({ queryKey: key });
      },
      (err: unknown) => setNotice({ tone: 'error', text: messageOf(err) }),
    );

  if (job.isPending) return <Skeleton rows={6} />;
  if (job.isError) return <ErrorNotice error={job.error} onRetry={() => void job.refetch()} />;
  const j = job.data;
  const running = ['queued', 'fetching', 'deciding'].includes(j.status);
  return (
    <div className="job-detail">
      <PageHeader title={j.name} />
      <p>
        <span className={`badge job-${j.status}`} data-testid="job-status">
          {j.status}
        </span>{' '}
        <span className="muted">
          {j.kind} · {j.trigger} by {j.createdBy} · {formatDateTime(j.createdAt)} · live: {live.status}
        </span>
      </p>
      {j.error ? (
        <p className="notice notice-error" role="alert">
          {j.errorCode}: {j.error}
        </p>
      ) : null}
      {notice ? (
        <p className={`notice notice-${notice.tone}`} role="status">
          {notice.text}
        </p>
      ) : null}
      <div className="row-actions">
        {running ? (
          <button
            type="button"
            onClick={() => void act('Job cancelled.', () => api.jobs.cancel.mutate({ jobId }))}
          >
            Cancel job
          </button>
        ) : (
          <button
            type="button"
            onClick={() => void act('A new job was started.', () => api.jobs.retry.mutate({ jobId }))}
          >
            Run again
          </button>
        )}
        <button
          type="button"
          onClick={() =>
            void downloadFile(session, `/api/v1/jobs/${jobId}/results.csv`, `job-${jobId}-results.csv`).catch(
              (err: unknown) =>
                setNotice({ tone: 'error', text: `The results could not be downloaded: ${messageOf(err)}` }),
            )
          }
        >
          Download results CSV
        </button>
      </div>
      <table aria-label="Counts">
        <tbody>
          {COUNTS.map((c) => (
            <tr key={c}>
              <th scope="row">{c.replace('_', ' ')}</th>
              <td data-testid={`count-${c}`}>{formatCount(j.counts[c])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Steps</h2>
      <table aria-label="Steps">
        <tbody>
          <tr>
            <th scope="row">queued</th>
            <td>{formatMs(j.steps.queuedMs)}</td>
          </tr>
          <tr>
            <th scope="row">fetching</th>
            <td>{formatMs(j.steps.fetchingMs)}</td>
          </tr>
          <tr>
            <th scope="row">deciding</th>
            <td>{formatMs(j.steps.decidingMs)}</td>
          </tr>
        </tbody>
      </table>
      <h2>Fetch attempts</h2>
      {runs.data && runs.data.length > 0 ? (
        <table aria-label="Fetch attempts">
          <thead>
            <tr>
              <th>Attempt</th>
              <th>Rows</th>
              <th>Outcome</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.map((r) => (
              <tr key={r.attempt}>
                <td>{r.attempt}</td>
                <td>
                  {formatCount(r.fromRow)} – {r.toRow === null ? '…' : formatCount(r.toRow)}
                </td>
                <td>{r.outcome ?? 'running'}</td>
                <td>{r.error ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">Not fetched yet.</p>
      )}
      <h2>Rejected rows</h2>
      {rejections.data && rejections.data.length > 0 ? (
        <table aria-label="Rejected rows">
          <thead>
            <tr>
              <th>Line</th>
              <th>External id</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {rejections.data.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <td>{r.externalId ?? ''}</td>
                <td>
                  {(r.errors as Array<{ field: string; message: string }>)
                    .map((e) => `${e.field} ${e.message}`)
                    .join('; ')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">None.</p>
      )}
    </div>
  );
}
