import { formatCount } from '../../ui/format';
import { LoadMore, type PagedList } from '../../ui/paging';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { AuditFilterBar } from './AuditFilterBar';
import type { AuditEntry, AuditFilters } from './auditFilters';
import { AuditTable } from './AuditTable';

/**
 * The audit log: filters, then newest entries first. Entries arriving live wait behind a button
 * in the header, so the rows under the reader's eyes never move by themselves.
 */
export function AuditView({
  filters,
  onFilters,
  entries,
  fresh,
  waiting,
  onShowWaiting,
  liveStatus,
  loading,
  error,
  onRetry,
  hasMore,
  loadingMore,
  onLoadMore,
}: PagedList & {
  filters: AuditFilters;
  onFilters: (f: AuditFilters) => void;
  entries: AuditEntry[] | undefined;
  fresh: ReadonlySet<string>;
  waiting: number;
  onShowWaiting: () => void;
  liveStatus: 'connecting' | 'live' | 'error' | 'off';
}) {
  const filtered = Object.values(filters).some((v) => v !== '');
  return (
    <>
      <PageHeader title="Audit log">
        {/* The header keeps its height either way: rows below never move when entries arrive. */}
        {waiting > 0 ? (
          <button type="button" className="audit-waiting" onClick={onShowWaiting}>
            {formatCount(waiting)} new {waiting === 1 ? 'entry' : 'entries'}: show
          </button>
        ) : null}
        <span className={`live-dot live-${liveStatus}`}>
          {liveStatus === 'live'
            ? 'New entries arrive live'
            : liveStatus === 'off'
              ? 'Not live: the range ends in the past'
              : liveStatus === 'error'
                ? 'Live updates interrupted'
                : 'Connecting…'}
        </span>
      </PageHeader>
      <AuditFilterBar value={filters} onApply={onFilters} />
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {entries === undefined ? (
        loading ? (
          <Skeleton rows={10} height="1.9rem" />
        ) : null
      ) : entries.length === 0 ? (
        <EmptyState title={filtered ? 'No entry matches these filters' : 'The audit log is empty'}>
          {filtered
            ? 'Widen the time range, or clear a filter. An action ending in "." matches a family (golden_record.).'
            : 'Every decision, review and change to a user is written here as it happens.'}
        </EmptyState>
      ) : (
        <>
          <AuditTable entries={entries} fresh={fresh} />
          <LoadMore
            hasMore={hasMore}
            loadingMore={loadingMore}
            onLoadMore={onLoadMore}
            label="Load older entries"
          >
            <span className="muted">
              {formatCount(entries.length)} {entries.length === 1 ? 'entry' : 'entries'}, the oldest reached.
            </span>
          </LoadMore>
        </>
      )}
    </>
  );
}
