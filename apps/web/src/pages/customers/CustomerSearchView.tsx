import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { formatAgo, formatCount, formatDateTime } from '../../ui/format';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import type { CustomerSummary } from './customerTypes';
import { identifiersOf, personName, valueText } from './people';

export interface CustomerHit extends CustomerSummary {
  /** Which readings of the search text found it ("name", "identifier"...). */
  matchedBy: string[];
}

/**
 * One search box over customers, results as a table. The arrows move through the results while
 * the focus stays in the box; Enter opens the highlighted one.
 */
export function CustomerSearchView({
  text,
  onText,
  readings,
  hits,
  searching,
  error,
  onRetry,
  onOpen,
  now = Date.now(),
}: {
  text: string;
  onText: (text: string) => void;
  /** How the text is being read, e.g. ["date of birth", "identifier"]. */
  readings: string[];
  hits: CustomerHit[] | undefined;
  searching: boolean;
  error: unknown;
  onRetry: () => void;
  onOpen: (customerId: string) => void;
  now?: number;
}) {
  const [active, setActive] = useState(0);
  const inputId = useId();
  const hintId = useId();
  useEffect(() => setActive(0), [hits]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!hits || hits.length === 0) return;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => Math.min(hits.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const hit = hits[active];
      if (hit) onOpen(hit.id);
    }
  };

  return (
    <section className="customer-search">
      <label htmlFor={inputId} className="field search-field">
        <span>Search customers</span>
        <input
          id={inputId}
          type="search"
          value={text}
          autoFocus
          autoComplete="off"
          placeholder="Name, date of birth (1987-04-12) or identifier (national id, email, phone)"
          aria-describedby={hintId}
          aria-controls={`${inputId}-results`}
          aria-activedescendant={hits?.[active] ? `${inputId}-row-${active}` : undefined}
          onChange={(e) => onText(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      <p id={hintId} className="search-hint muted">
        {readings.length > 0 ? (
          <>
            Searching by {readings.join(' and by ')}
            {searching ? '…' : '.'} <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to open.
          </>
        ) : (
          'Type at least two characters.'
        )}
      </p>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {readings.length === 0 ? (
        <EmptyState title="Find a customer">
          Search by name (&ldquo;Ada Byron&rdquo;), name and year of birth (&ldquo;Byron 1815&rdquo;), a date
          of birth, or an exact national id, email or phone number.
        </EmptyState>
      ) : hits === undefined ? (
        error ? null : (
          <Skeleton rows={6} height="2rem" />
        )
      ) : hits.length === 0 ? (
        <EmptyState title={`No customer matches “${text.trim()}”`}>
          Names match by parts (&ldquo;ada byr&rdquo;); identifiers must be exact. Check the spelling, or try
          the date of birth.
        </EmptyState>
      ) : (
        <div className={`table-wrap${searching ? ' is-refreshing' : ''}`}>
          <table id={`${inputId}-results`} aria-label="Customers found">
            <thead>
              <tr>
                <th>Name</th>
                <th>Date of birth</th>
                <th>Identifiers</th>
                <th className="num">Members</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {hits.map((hit, i) => (
                <tr
                  key={hit.id}
                  id={`${inputId}-row-${i}`}
                  className={i === active ? 'selected' : undefined}
                  aria-selected={i === active}
                  onMouseEnter={() => setActive(i)}
                  onClick={(e) => {
                    // The whole row opens it; the link inside stays for keyboard and new tabs.
                    if (!(e.target as HTMLElement).closest('a')) onOpen(hit.id);
                  }}
                >
                  <td>
                    <Link to={`/customers/${hit.id}`} className="customer-link">
                      {personName(hit.best)}
                    </Link>
                    {hit.matchedBy.length > 0 ? (
                      <small className="matched-by"> by {hit.matchedBy.join(', ')}</small>
                    ) : null}
                  </td>
                  <td>{valueText(hit.best.date_of_birth) || '–'}</td>
                  <td className="identifiers">{identifiersOf(hit.best) || '–'}</td>
                  <td className="num">{formatCount(hit.memberCount)}</td>
                  <td title={formatDateTime(hit.updatedAt)}>{formatAgo(hit.updatedAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
