import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { mayCall } from '@nexus/schema/roles';
import { useApi, useSession } from '../../api/ApiProvider';
import { downloadFile } from '../../api/downloadFile';
import { useLive } from '../../api/useLive';
import { formatCount, messageOf } from '../../ui/format';
import { pagedListOf } from '../../ui/paging';
import { EmptyState } from '../../ui/states';
import { BatchDetailView, type ActionNotice } from './BatchDetailView';
import { BatchRecordsTable } from './BatchRecordsTable';
import type { Batch, BatchReceipt, RecordFilter } from './batchTypes';
import { isRunning } from './decisions';
import './batches.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECORDS_PAGE = 100;
/** While a batch runs its records are re-read at most this often: the counts move every 250 ms. */
const RECORDS_REFRESH_MS = 2_000;

export function BatchDetailPage() {
  const { batchId = '' } = useParams();
  const valid = UUID.test(batchId);
  return valid ? (
    <BatchDetail batchId={batchId} />
  ) : (
    <EmptyState title="No such batch">{batchId} is not a batch id. Pick a batch from the list.</EmptyState>
  );
}

function BatchDetail({ batchId }: { batchId: string }) {
  const api = useApi();
  const { session, state } = useSession();
  const queryClient = useQueryClient();
  const location = useLocation();
  const receipt = (location.state as { receipt?: BatchReceipt } | null)?.receipt ?? null;
  const [filter, setFilter] = useState<RecordFilter | null>(null);
  const [busy, setBusy] = useState<'cancel' | 'retry' | 'download' | null>(null);
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const lastRecordsRefresh = useRef(0);

  const key = ['batches.get', batchId];
  const recordsKey = ['batches.records', batchId];
  const batch = useQuery({
    queryKey: key,
    queryFn: async () => {
      const fetched = await api.batches.get.query({ batchId });
      // The live feed may have shown a later state while this request was in flight: an answer
      // that arrives late never moves the progress back.
      const shown = queryClient.getQueryData<Batch>(key);
      return shown && shown.counts.pending < fetched.counts.pending ? shown : fetched;
    },
  });
  const records = useInfiniteQuery({
    queryKey: [...recordsKey, filter],
    queryFn: ({ pageParam }) =>
      api.batches.records.query({
        batchId,
        limit: RECORDS_PAGE,
        ...(filter ? { status: filter } : {}),
        ...(pageParam ? { cursor: pageParam } : {}),
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Switching the filter keeps the old rows until the new ones come: no flash of a skeleton.
    placeholderData: (previous) => previous,
  });

  const live = useLive<{ data: Batch }>(
    `batch-${batchId}`,
    (handlers) => api.live.batchProgress.subscribe({ batchId }, handlers),
    ({ data }) => {
      queryClient.setQueryData(key, data);
      const now = Date.now();
      if (!isRunning(data.status) || now - lastRecordsRefresh.current > RECORDS_REFRESH_MS) {
        lastRecordsRefresh.current = now;
        void queryClient.invalidateQueries({ queryKey: recordsKey });
      }
    },
  );

  const role = state.status === 'signedIn' ? state.user.role : undefined;
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: recordsKey });
  };

  return (
    <BatchDetailView
      batch={batch.data}
      error={batch.error}
      onRetry={() => void batch.refetch()}
      liveStatus={live.status}
      receipt={receipt}
      canRetryFailed={mayCall('operator', role)}
      busy={busy}
      notice={notice}
      onCancel={async () => {
        setBusy('cancel');
        try {
          const view = await api.batches.cancel.mutate({ batchId });
          queryClient.setQueryData(key, view);
          setNotice({
            tone: 'ok',
            text: `Batch cancelled: ${formatCount(view.counts.cancelled)} records will not be decided.`,
          });
        } catch (error) {
          setNotice({ tone: 'error', text: `The batch was not cancelled: ${messageOf(error)}` });
        } finally {
          setBusy(null);
          refresh();
        }
      }}
      onRetryFailed={() => {
        setBusy('retry');
        api.batches.retryFailed
          .mutate({ batchId })
          .then(
            (result) => {
              queryClient.setQueryData(key, result.batch);
              setNotice({
                tone: 'ok',
                text: `${formatCount(result.republished)} failed records sent to be decided again.`,
              });
            },
            (error: unknown) =>
              setNotice({ tone: 'error', text: `Nothing was retried: ${messageOf(error)}` }),
          )
          .finally(() => {
            setBusy(null);
            refresh();
          });
      }}
      onDownload={() => {
        setBusy('download');
        downloadFile(session, `/api/v1/batches/${batchId}/results.csv`, `batch-${batchId}-results.csv`)
          .catch((error: unknown) =>
            setNotice({
              tone: 'error',
              text: `The results could not be downloaded: ${messageOf(error)}. Try again.`,
            }),
          )
          .finally(() => setBusy(null));
      }}
    >
      <BatchRecordsTable
        counts={batch.data?.counts}
        records={records.data?.pages.flatMap((p) => p.items) ?? []}
        filter={filter}
        onFilter={setFilter}
        {...pagedListOf(records)}
      />
    </BatchDetailView>
  );
}
