import type { KeyboardEvent } from 'react';
import { formatAgo, formatCount, formatDateTime, formatDecimal } from '../../ui/format';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import { KIND_LABELS, type CaseKind, type QueueItem } from './reviewTypes';

export type ClaimFilter = 'all' | 'unclaimed' | 'mine';

export interface QueueFilters {
  kind: CaseKind | '';
  claim: ClaimFilter;
}

const CLAIM_LABELS: Record<ClaimFilter, string> = { all: 'All open', unclaimed: 'Unclaimed', mine: 'Mine' };

/** Arrow keys move between the cases' links, as in a list. */
function moveFocus(e: KeyboardEvent<HTMLTableSectionElement>) {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'j' && e.key !== 'k') return;
  const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a.case-link')];
  const at = links.indexOf(document.activeElement as HTMLAnchorElement);
  const step = e.key === 'ArrowDown' || e.key === 'j' ? 1 : -1;
  const next = links[Math.min(links.length - 1, Math.max(0, at + step))];
  if (next) {
    e.preventDefault();
    next.focus();
  }
}

/** The queue, oldest first: filters, then one row per case; a row opens its case. */
export function ReviewQueueView({
  items,
  loading,
  error,
  filters,
  me,
  now,
  onFilters,
  onOpen,
  onRetry,
}: {
  items: QueueItem[] | undefined;
  loading: boolean;
  error: unknown;
  filters: QueueFilters;
  me: string;
  now: number;
  onFilters: (f: QueueFilters) => void;
  onOpen: (caseId: string) => void;
  onRetry: () => void;
}) {
  return (
    <>
      <div className="filters" role="search" aria-label="Queue filters">
        <label className="field">
          <span>Kind</span>
          <select
            value={filters.kind}
            onChange={(e) => onFilters({ ...filters, kind: e.target.value as CaseKind | '' })}
          >
            <option value="">All kinds</option>
            {Object.entries(KIND_LABELS).map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className="field">
          <span>Claimed</span>
          <div className="segmented" role="radiogroup" aria-label="Claimed">
            {(Object.keys(CLAIM_LABELS) as ClaimFilter[]).map((c) => (
              <button
                key={c}
                type="button"
                role="radio"
                aria-checked={filters.claim === c}
                className={filters.claim === c ? 'selected' : undefined}
                onClick={() => onFilters({ ...filters, claim: c })}
              >
                {CLAIM_LABELS[c]}
              </button>
            ))}
          </div>
        </div>
      </div>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {loading ? (
        <div className="table-wrap queue-skeleton">
          <Skeleton rows={8} height="2.2rem" />
        </div>
      ) : items && items.length === 0 ? (
        <EmptyState title={filters.claim === 'mine' ? 'You hold no cases' : 'Nothing to review'}>
          {filters.kind || filters.claim !== 'all'
            ? 'No case matches these filters. Clear them to see the whole queue.'
            : 'Every case is decided. New cases appear here as the engine opens them.'}
        </EmptyState>
      ) : items ? (
        <div className="table-wrap">
          <table className="queue-table">
            <thead>
              <tr>
                <th scope="col">Waiting</th>
                <th scope="col">Person</th>
                <th scope="col">Kind</th>
                <th scope="col">Source</th>
                <th scope="col" className="num">
                  Candidates
                </th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col">Claimed by</th>
              </tr>
            </thead>
            <tbody onKeyDown={moveFocus}>
              {items.map((c) => (
                <tr key={c.id} className="queue-row" onClick={() => onOpen(c.id)}>
                  <td title={formatDateTime(c.createdAt)}>{formatAgo(c.createdAt, now)}</td>
                  <td>
                    <a
                      className="case-link"
                      href={`/review/${c.id}`}
                      onClick={(e) => {
                        e.preventDefault();
                        e.stopPropagation();
                        onOpen(c.id);
                      }}
                    >
                      {c.name ?? (c.recordId ? 'Unnamed record' : 'Golden records to merge?')}
                    </a>
                    <small className="queue-dob">
                      {c.dateOfBirth
                        ? `born ${c.dateOfBirth}`
                        : c.recordId
                          ? 'no date of birth'
                          : `${c.candidateCount} customers`}
                    </small>
                  </td>
                  <td>
                    <span className={`badge kind-${c.kind}`}>{KIND_LABELS[c.kind]}</span>
                  </td>
                  <td>
                    {c.source ?? '–'} <small className="muted">{c.externalId ?? ''}</small>
                  </td>
                  <td className="num">{formatCount(c.candidateCount)}</td>
                  <td className="num">{formatDecimal(c.score)}</td>
                  <td>
                    {c.claimedBy ? (
                      <span className={c.claimedBy === me ? 'claim-mine' : 'claim-other'}>
                        {c.claimedBy === me ? 'you' : c.claimedBy}
                      </span>
                    ) : (
                      <span className="muted">unclaimed</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="queue-hint">
            <kbd>↑</kbd> <kbd>↓</kbd> move · <kbd>Enter</kbd> open · opening a case claims it for you
          </p>
        </div>
      ) : null}
    </>
  );
}
