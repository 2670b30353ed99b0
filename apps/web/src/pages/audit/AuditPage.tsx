import { useInfiniteQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { pagedListOf } from '../../ui/paging';
import {
  filtersFrom,
  listInput,
  matches,
  paramsOf,
  type AuditEntry,
  type AuditFilters,
} from './auditFilters';
import { AuditView } from './AuditView';
import './audit.css';

const PAGE = 50;

export function AuditPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const input = useMemo(() => listInput(filters), [filters]);
  const key = JSON.stringify(input);
  // Arrived live: `shown` sit above the first page, `waiting` behind the "new entries" bar.
  const [live, setLive] = useState<{ key: string; shown: AuditEntry[]; waiting: AuditEntry[] }>({
    key,
    shown: [],
    waiting: [],
  });
  const current = live.key === key ? live : { key, shown: [], waiting: [] };

  const list = useInfiniteQuery({
    queryKey: ['audit.list', input],
    queryFn: ({ pageParam }) => api.audit.list.query({ ...input, cursor: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

  const followLive = !input.until || input.until > new Date().toISOString();
  const feed = useLive<{ data: AuditEntry }>(
    `audit-${key}-${followLive}`,
    (handlers) =>
      followLive
        ? api.live.audit.subscribe({ entityType: input.entityType, action: input.action }, handlers)
        : { unsubscribe: () => undefined },
    ({ data }) => {
      if (!matches(data, filters)) return;
      setLive((l) => {
        const base = l.key === key ? l : { key, shown: [], waiting: [] };
        return { ...base, waiting: [data, ...base.waiting] };
      });
    },
  );

  const loaded = list.data?.pages.flatMap((p) => p.items);
  const entries = useMemo(() => {
    if (!loaded) return undefined;
    const seen = new Set(loaded.map((e) => e.id));
    return [...current.shown.filter((e) => !seen.has(e.id)), ...loaded];
  }, [loaded, current.shown]);

  return (
    <AuditView
      filters={filters}
      onFilters={(f: AuditFilters) => setParams(paramsOf(f))}
      entries={entries}
      fresh={new Set(current.shown.map((e) => e.id))}
      waiting={current.waiting.length}
      onShowWaiting={() => setLive({ key, shown: [...current.waiting, ...current.shown], waiting: [] })}
      liveStatus={followLive ? feed.status : 'off'}
      {...pagedListOf(list)}
    />
  );
}
