import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useApi, useSession } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { formatCount } from '../../ui/format';
import { PageHeader } from '../../ui/states';
import { ReviewQueueView, type QueueFilters } from './ReviewQueueView';
import type { QueueInput } from './reviewTypes';
import './review.css';

const QUEUE_LIMIT = 100;

function queueInput(f: QueueFilters): QueueInput {
  return {
    limit: QUEUE_LIMIT,
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.claim === 'unclaimed' ? { status: 'open' as const } : {}),
    ...(f.claim === 'mine' ? { mine: true } : {}),
  };
}

/** The review queue: follows the live feed of case events and asks again on each one (no polling). */
export function ReviewQueuePage() {
  const api = useApi();
  const { state } = useSession();
  const me = state.status === 'signedIn' ? state.user.username : '';
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<QueueFilters>({ kind: '', claim: 'all' });
  const [now, setNow] = useState(() => Date.now());
  const input = queueInput(filters);
  const queue = useQuery({
    queryKey: ['review', 'queue', input],
    queryFn: () => api.review.queue.query(input),
    placeholderData: keepPreviousData,
  });
  useEffect(() => {
    // Ages ("3 minutes ago") move on without asking the server anything.
    const timer = window.setInterval(() => setNow(Date.now()), 30_000);
    return () => window.clearInterval(timer);
  }, []);
  const live = useLive(
    'review-queue',
    (handlers) => api.live.reviewCases.subscribe({}, handlers),
    () => void queryClient.invalidateQueries({ queryKey: ['review', 'queue'] }),
  );
  const items = queue.data?.items;
  const firstFree = items?.find((c) => c.status === 'open' || c.claimedBy === me);
  const notice = (location.state as { notice?: string } | null)?.notice;
  return (
    <div className="review-queue">
      <PageHeader title="Review queue">
        {live.status === 'error' ? (
          <span className="live-dot live-error" title={live.error ?? undefined}>
            Live updates stopped: reload to see new cases
          </span>
        ) : null}
        <span className="muted queue-count">
          {items ? `${formatCount(items.length)}${queue.data?.nextCursor ? '+' : ''} waiting` : '\u00a0'}
        </span>
        <button
          type="button"
          className="primary"
          disabled={!firstFree}
          onClick={() => firstFree && void navigate(`/review/${firstFree.id}`)}
        >
          Review oldest
        </button>
      </PageHeader>
      {notice ? (
        <div className="notice notice-ok review-toast" role="status">
          {notice}
        </div>
      ) : null}
      <ReviewQueueView
        items={items}
        loading={queue.isPending}
        error={queue.error}
        filters={filters}
        me={me}
        now={now}
        onFilters={setFilters}
        onOpen={(id) => void navigate(`/review/${id}`)}
        onRetry={() => void queue.refetch()}
      />
    </div>
  );
}
