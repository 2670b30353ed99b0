import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { pagedListOf } from '../../ui/paging';
import { PageHeader } from '../../ui/states';
import { BATCHES_KEY, mergeLive } from './batchesCache';
import type { Batch, BatchPage } from './batchTypes';
import { BatchesView } from './BatchesView';
import { LiveBadge } from '../../ui/LiveBadge';
import { NewBatchPanel } from './NewBatchPanel';
import './batches.css';

const PAGE = 25;
/** MAX_BATCH_RECORDS of @nexus/schema (not imported: it would bring the schema package into the bundle); the server enforces it. */
const MAX_BATCH_RECORDS = 10_000;
export function BatchesPage() {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [composing, setComposing] = useState(false);
  const list = useInfiniteQuery({
    queryKey: BATCHES_KEY,
    queryFn: ({ pageParam }) =>
      api.batches.list.query({ limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });

  // One feed for every running batch: counts move in place; a batch someone just submitted brings the list up to date.
  const live = useLive<Batch[]>(
    'batches.active',
    (handlers) => api.live.activeBatches.subscribe(undefined, handlers),
    (views) => {
      let unknown = false;
      queryClient.setQueryData<InfiniteData<BatchPage>>(BATCHES_KEY, (data) => {
        const merged = mergeLive(data, views);
        unknown = merged.unknown;
        return merged.data;
      });
      if (unknown) void queryClient.invalidateQueries({ queryKey: BATCHES_KEY });
    },
  );

  const batches = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <div className="batches-page">
      <PageHeader title="Batches">
        <LiveBadge status={live.status} />
        {!composing ? (
          <button type="button" className="primary" onClick={() => setComposing(true)}>
            New batch
          </button>
        ) : null}
      </PageHeader>
      {composing ? (
        <NewBatchPanel
          maxRecords={MAX_BATCH_RECORDS}
          onClose={() => setComposing(false)}
          onRead={(fileName, content) => api.ingest.readUpload.mutate({ fileName, content })}
          onSubmit={async (source, reading) => {
            const receipt = await api.ingest.submitBatch.mutate({ source, records: reading.records });
            void queryClient.invalidateQueries({ queryKey: BATCHES_KEY });
            void navigate(`/batches/${receipt.batchId}`, { state: { receipt } });
            return receipt;
          }}
        />
      ) : null}
      <BatchesView batches={batches} {...pagedListOf(list)} />
    </div>
  );
}
