import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useApi } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { formatCount, messageOf } from '../../ui/format';
import { LiveBadge } from '../../ui/LiveBadge';
import { pagedListOf } from '../../ui/paging';
import { PageHeader } from '../../ui/states';
import type { DeadLetterStatus } from './deadLetterTypes';
import { DeadLettersView } from './DeadLettersView';
import { RecordContent } from './RecordContent';
import './deadLetters.css';

const PAGE = 50;
const KEY = ['deadLetters.list'];

interface Outcome {
  tone: 'ok' | 'error';
  text: string;
}

/** "3 replayed; 1 failed: dead letter 7 is already replayed" from settled calls. */
function outcomeOf(verb: string, ids: string[], results: PromiseSettledResult<unknown>[]): Outcome {
  const failed = results.flatMap((r, i) =>
    r.status === 'rejected' ? [`${ids[i]}: ${messageOf(r.reason)}`] : [],
  );
  const done = results.length - failed.length;
  if (failed.length === 0)
    return { tone: 'ok', text: `${formatCount(done)} dead letter${done === 1 ? '' : 's'} ${verb}.` };
  return {
    tone: 'error',
    text: `${formatCount(done)} ${verb}; ${formatCount(failed.length)} not: ${failed.slice(0, 3).join('; ')}. Reload to see the latest.`,
  };
}

export function DeadLettersPage() {
  const api = useApi();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<DeadLetterStatus>('open');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [expanded, setExpanded] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<string[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const list = useInfiniteQuery({
    queryKey: [...KEY, status],
    queryFn: ({ pageParam }) =>
      api.deadLetters.list.query({ status, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
  const letters = list.data?.pages.flatMap((p) => p.items) ?? [];

  // New dead letters, and others' replays and discards, show without a reload. A burst (a bad
  // batch) becomes one re-read, not one per letter.
  const refreshTimer = useRef<number | undefined>(undefined);
  const live = useLive<unknown>(
    'dead-letters',
    (handlers) => api.live.audit.subscribe({ entityType: 'dead_letter' }, handlers),
    () => {
      refreshTimer.current ??= window.setTimeout(() => {
        refreshTimer.current = undefined;
        void queryClient.invalidateQueries({ queryKey: KEY });
      }, 500);
    },
  );

  async function run(verb: string, ids: string[], call: (id: string) => Promise<unknown>) {
    setBusy(true);
    const results = await Promise.allSettled(ids.map(call));
    setOutcome(outcomeOf(verb, ids, results));
    setSelected(new Set());
    setBusy(false);
    await queryClient.invalidateQueries({ queryKey: KEY });
  }

  return (
    <div className="dead-letters-page">
      <PageHeader title="Dead letters">
        <LiveBadge status={live.status} />
      </PageHeader>
      {outcome ? (
        <p className={`notice notice-${outcome.tone}`} role={outcome.tone === 'error' ? 'alert' : 'status'}>
          {outcome.text}
        </p>
      ) : null}
      <DeadLettersView
        status={status}
        onStatus={(s) => {
          setStatus(s);
          setSelected(new Set());
          setExpanded(null);
        }}
        letters={letters}
        {...pagedListOf(list)}
        selected={selected}
        onSelect={(ids, on) =>
          setSelected((current) => {
            const next = new Set(current);
            for (const id of ids) {
              if (on) next.add(id);
              else next.delete(id);
            }
            return next;
          })
        }
        expanded={expanded}
        onExpand={setExpanded}
        renderRecord={(l) => <RecordContent recordId={l.recordId} />}
        busy={busy}
        onReplay={(ids) => void run('replayed', ids, (id) => api.deadLetters.replay.mutate({ id }))}
        onDiscard={setDiscarding}
      />
      <ConfirmDialog
        open={discarding !== null}
        title={
          discarding && discarding.length > 1
            ? `Discard ${formatCount(discarding.length)} dead letters?`
            : 'Discard this dead letter?'
        }
        confirmLabel="Discard"
        reasonLabel="Reason (kept in the audit log)"
        danger
        busy={busy}
        onCancel={() => setDiscarding(null)}
        onConfirm={(reason) => {
          const ids = discarding ?? [];
          void run('discarded', ids, (id) => api.deadLetters.discard.mutate({ id, reason })).finally(() =>
            setDiscarding(null),
          );
        }}
      >
        <p>
          The record stays dead-lettered and will not be decided. Replay is no longer possible afterwards.
          Your name and the reason go into the audit log.
        </p>
      </ConfirmDialog>
    </div>
  );
}
