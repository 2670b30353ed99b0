import { Fragment, type ReactNode } from 'react';
import { Link } from 'react-router';
import { formatAgo, formatCount, formatDateTime } from '../../ui/format';
import { LoadMore, type PagedList } from '../../ui/paging';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import type { DeadLetter, DeadLetterStatus } from './deadLetterTypes';

const STATUSES: Array<{ key: DeadLetterStatus; label: string }> = [
  { key: 'open', label: 'Open' },
  { key: 'replayed', label: 'Replayed' },
  { key: 'discarded', label: 'Discarded' },
];

/** The first line of an error, for the table; the rest is behind "more". */
const headline = (error: string) => {
  const end = error.indexOf('\n');
  return (end === -1 ? error : error.slice(0, end)).slice(0, 160);
};

function ErrorCell({ error }: { error: string }) {
  const first = headline(error);
  if (first === error) return <span className="dl-error">{error}</span>;
  return (
    <details className="dl-error">
      <summary>{first}…</summary>
      <pre>{error}</pre>
    </details>
  );
}

const EMPTY: Record<DeadLetterStatus, { title: string; hint: string }> = {
  open: {
    title: 'No dead letters: every record was decided',
    hint: 'A record that fails 5 times lands here, with its error, to replay or discard.',
  },
  replayed: { title: 'Nothing replayed yet', hint: 'Dead letters you replay are listed here.' },
  discarded: { title: 'Nothing discarded', hint: 'Dead letters discarded with a reason are listed here.' },
};

/**
 * Records the engine gave up on: what failed and how often, the record itself on demand, and
 * replay or discard for one or many (open ones only).
 */
export function DeadLettersView({
  status,
  onStatus,
  letters,
  loading,
  error,
  onRetry,
  selected,
  onSelect,
  expanded,
  onExpand,
  renderRecord,
  busy,
  onReplay,
  onDiscard,
  hasMore,
  loadingMore,
  onLoadMore,
  now = Date.now(),
}: PagedList & {
  status: DeadLetterStatus;
  onStatus: (status: DeadLetterStatus) => void;
  letters: DeadLetter[];
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  expanded: string | null;
  onExpand: (id: string | null) => void;
  renderRecord: (letter: DeadLetter) => ReactNode;
  busy: boolean;
  onReplay: (ids: string[]) => void;
  onDiscard: (ids: string[]) => void;
  now?: number;
}) {
  const open = status === 'open';
  const chosen = letters.filter((l) => selected.has(l.id)).map((l) => l.id);
  const allChosen = letters.length > 0 && chosen.length === letters.length;
  return (
    <>
      <div className="dl-toolbar">
        <div className="segmented" role="group" aria-label="Show dead letters">
          {STATUSES.map((s) => (
            <button key={s.key} type="button" aria-pressed={status === s.key} onClick={() => onStatus(s.key)}>
              {s.label}
            </button>
          ))}
        </div>
        {open ? (
          <div className="dl-bulk" aria-live="polite">
            <span className="muted">
              {chosen.length > 0 ? `${formatCount(chosen.length)} selected` : 'Select to act on several'}
            </span>
            <button
              type="button"
              className="primary"
              disabled={chosen.length === 0 || busy}
              onClick={() => onReplay(chosen)}
            >
              Replay selected
            </button>
            <button type="button" disabled={chosen.length === 0 || busy} onClick={() => onDiscard(chosen)}>
              Discard selected…
            </button>
          </div>
        ) : null}
      </div>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {loading ? (
        <Skeleton rows={6} height="2.4rem" />
      ) : letters.length === 0 && !error ? (
        <EmptyState title={EMPTY[status].title}>{EMPTY[status].hint}</EmptyState>
      ) : letters.length === 0 ? null : (
        <div className="table-wrap">
          <table className="dl-table" aria-label="Dead letters">
            <thead>
              <tr>
                {open ? (
                  <th className="col-check">
                    <input
                      type="checkbox"
                      aria-label="Select all"
                      checked={allChosen}
                      ref={(el) => {
                        if (el) el.indeterminate = chosen.length > 0 && !allChosen;
                      }}
                      onChange={(e) =>
                        onSelect(
                          letters.map((l) => l.id),
                          e.target.checked,
                        )
                      }
                    />
                  </th>
                ) : null}
                <th>Record</th>
                <th>Error</th>
                <th className="num">Attempts</th>
                <th>{open ? 'Failed' : 'Resolved'}</th>
                <th className="col-actions">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {letters.map((l) => {
                const name = l.externalId ?? l.recordId;
                const isExpanded = expanded === l.id;
                return (
                  <Fragment key={l.id}>
                    <tr className={selected.has(l.id) ? 'selected' : undefined}>
                      {open ? (
                        <td className="col-check">
                          <input
                            type="checkbox"
                            aria-label={`Select ${name}`}
                            checked={selected.has(l.id)}
                            onChange={(e) => onSelect([l.id], e.target.checked)}
                          />
                        </td>
                      ) : null}
                      <td>
                        <div className="mono">{name}</div>
                        <div className="muted nowrap" title={`partition ${l.partition}, offset ${l.offset}`}>
                          {l.source ?? 'stream'}
                          {l.batchId ? (
                            <>
                              {' · '}
                              <Link to={`/batches/${l.batchId}`}>batch</Link>
                            </>
                          ) : null}
                          {` · p${l.partition}`}
                        </div>
                      </td>
                      <td className="col-error">
                        <ErrorCell error={l.error} />
                      </td>
                      <td className="num">{formatCount(l.attempts)}</td>
                      <td className="nowrap">
                        {open ? (
                          <>
                            <div>{formatDateTime(l.createdAt)}</div>
                            <div className="muted">{formatAgo(l.createdAt, now)}</div>
                          </>
                        ) : (
                          <>
                            <div>{formatDateTime(l.resolvedAt)}</div>
                            <div className="muted">by {l.resolvedBy ?? '—'}</div>
                          </>
                        )}
                      </td>
                      <td className="col-actions">
                        <button
                          type="button"
                          className="button-link"
                          aria-expanded={isExpanded}
                          aria-controls={`dl-record-${l.id}`}
                          onClick={() => onExpand(isExpanded ? null : l.id)}
                        >
                          {isExpanded ? 'Hide record' : 'Record'}
                        </button>
                        {open ? (
                          <>
                            <button
                              type="button"
                              className="button-link"
                              disabled={busy}
                              onClick={() => onReplay([l.id])}
                              aria-label={`Replay ${name}`}
                            >
                              Replay
                            </button>
                            <button
                              type="button"
                              className="button-link danger-link"
                              disabled={busy}
                              onClick={() => onDiscard([l.id])}
                              aria-label={`Discard ${name}`}
                            >
                              Discard
                            </button>
                          </>
                        ) : null}
                      </td>
                    </tr>
                    {isExpanded ? (
                      <tr className="dl-record-row">
                        <td colSpan={open ? 6 : 5} id={`dl-record-${l.id}`}>
                          {renderRecord(l)}
                        </td>
                      </tr>
                    ) : null}
                  </Fragment>
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
        label="Show older dead letters"
      />
    </>
  );
}
