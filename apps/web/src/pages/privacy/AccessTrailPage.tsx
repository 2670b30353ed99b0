import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { formatCount, formatDateTime } from '../../ui/format';
import { LoadMore, pagedListOf } from '../../ui/paging';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { shortId } from '../customers/people';

const PAGE = 50;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface TrailFilters {
  customerId: string;
  username: string;
}

/**
 * Who read whose data (docs/decisions/0037-access-records-and-masking.md): an admin's view of the
 * access records, per person (a golden record: reads of it, its members, their batches) or per
 * account, newest first. The filters live in the address, so a person's trail is a link.
 */
export function AccessTrailPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters: TrailFilters = {
    customerId: params.get('customerId')?.trim() ?? '',
    username: params.get('username')?.trim() ?? '',
  };
  const badCustomer = filters.customerId !== '' && !UUID.test(filters.customerId);
  const input = {
    ...(filters.customerId ? { customerId: filters.customerId } : {}),
    ...(filters.username ? { username: filters.username } : {}),
  };
  const trail = useInfiniteQuery({
    queryKey: ['access.trail', input],
    queryFn: ({ pageParam }) =>
      api.access.trail.query({ ...input, limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: !badCustomer,
  });
  const paged = pagedListOf(trail);
  const entries = trail.data?.pages.flatMap((p) => p.entries);
  const filtered = filters.customerId !== '' || filters.username !== '';
  const apply = (f: TrailFilters) =>
    setParams({
      ...(f.customerId.trim() ? { customerId: f.customerId.trim() } : {}),
      ...(f.username.trim() ? { username: f.username.trim() } : {}),
    });

  return (
    <>
      <PageHeader title="Access trail" />
      <p className="muted">
        Every read of a person&apos;s data by a person or a service: who, what, when and why. Reveals of
        masked values are reads of their own (<code>access.reveal.*</code>).
      </p>
      <TrailFilterBar value={filters} onApply={apply} />
      {badCustomer ? (
        <ErrorNotice error={new Error('A customer id is a UUID, as in the address of a customer page.')} />
      ) : paged.error ? (
        <ErrorNotice error={paged.error} onRetry={paged.onRetry} />
      ) : entries === undefined ? (
        <Skeleton rows={10} height="1.9rem" />
      ) : entries.length === 0 ? (
        <EmptyState title={filtered ? 'Nobody read this' : 'The trail is empty'}>
          {filtered
            ? 'No access record names this customer or account.'
            : 'Reads of people by reviewers, admins and services are recorded here as they happen.'}
        </EmptyState>
      ) : (
        <>
          <TrailTable entries={entries} onUser={(username) => apply({ customerId: '', username })} />
          <LoadMore
            hasMore={paged.hasMore}
            loadingMore={paged.loadingMore}
            onLoadMore={paged.onLoadMore}
            label="Load older reads"
          >
            <span className="muted">
              {formatCount(entries.length)} {entries.length === 1 ? 'read' : 'reads'}, the oldest reached.
            </span>
          </LoadMore>
        </>
      )}
    </>
  );
}

function TrailFilterBar({ value, onApply }: { value: TrailFilters; onApply: (f: TrailFilters) => void }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value.customerId, value.username]);
  return (
    <form
      className="filters"
      aria-label="Filter the access trail"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <label className="field">
        <span>Customer id</span>
        <input
          value={draft.customerId}
          onChange={(e) => setDraft((d) => ({ ...d, customerId: e.target.value }))}
          placeholder="a golden record's id"
          autoComplete="off"
        />
      </label>
      <label className="field">
        <span>Account</span>
        <input
          value={draft.username}
          onChange={(e) => setDraft((d) => ({ ...d, username: e.target.value }))}
          placeholder="a username"
          autoComplete="off"
        />
      </label>
      <button type="submit">Show</button>
      {value.customerId || value.username ? (
        <button
          type="button"
          className="button-link"
          onClick={() => onApply({ customerId: '', username: '' })}
        >
          Clear
        </button>
      ) : null}
    </form>
  );
}

interface TrailEntry {
  id: string;
  at: string;
  username: string;
  role: string;
  kind: string;
  action: string;
  subjectType: string;
  subjectId: string;
  customerIds: string[];
  recordIds: string[];
  reason: string | null;
}

function TrailTable({ entries, onUser }: { entries: TrailEntry[]; onUser: (username: string) => void }) {
  return (
    <div className="table-wrap">
      <table aria-label="Access records">
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>What</th>
            <th>Customers</th>
            <th className="num">Records</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>{formatDateTime(e.at)}</td>
              <td>
                <button
                  type="button"
                  className="button-link"
                  title={`Every read by ${e.username}`}
                  onClick={() => onUser(e.username)}
                >
                  {e.username}
                </button>{' '}
                <small className="muted">
                  {e.role}
                  {e.kind === 'service' ? ', service' : ''}
                </small>
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>
                {e.customerIds.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  e.customerIds.slice(0, 5).map((id) => (
                    <Link key={id} to={`/customers/${id}`} title={id} className="trail-customer">
                      {shortId(id)}
                    </Link>
                  ))
                )}
                {e.customerIds.length > 5 ? (
                  <small className="muted"> +{formatCount(e.customerIds.length - 5)}</small>
                ) : null}
              </td>
              <td className="num">{formatCount(e.recordIds.length)}</td>
              <td>{e.reason ?? <span className="muted">—</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
