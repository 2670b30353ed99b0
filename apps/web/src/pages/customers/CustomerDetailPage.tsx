import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { Link, useParams } from 'react-router';
import { mayCall } from '@nexus/schema/roles';
import { useApi, useSession } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import type { HistoryEntry } from './customerTypes';
import { GoldenContactFamilies } from '../contacts/GoldenContactFamilies';
import { GoldenRecordView, type SplitOutcome } from './GoldenRecordView';
import { EraseDialog } from './EraseDialog';
import { MergeDialog } from './MergeDialog';
import { personName, searchCriteria } from './people';
import { useAccessReason } from '../privacy/accessReason';
import { RevealProvider, type RevealValue } from '../privacy/Revealable';
import './customers.css';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function CustomerDetailPage() {
  const { customerId = '' } = useParams();
  const api = useApi();
  const queryClient = useQueryClient();
  const [lastSplit, setLastSplit] = useState<SplitOutcome | null>(null);
  const [merging, setMerging] = useState(false);
  const [mergeBusy, setMergeBusy] = useState(false);
  const [mergeError, setMergeError] = useState<unknown>(null);
  const [erasing, setErasing] = useState(false);
  const { state } = useSession();
  const mayErase = state.status === 'signedIn' && mayCall('privacy', state.user.role);
  const mayReadTrail = state.status === 'signedIn' && mayCall('admin', state.user.role);
  const valid = UUID.test(customerId);
  const key = ['customers.get', customerId];
  const access = useAccessReason();
  // The reason given for the search this customer was found by goes into the access record.
  const reason = access.valid ? access.reason.trim() : undefined;
  const customer = useQuery({
    queryKey: key,
    queryFn: () => api.customers.get.query({ customerId, ...(reason ? { reason } : {}) }),
    enabled: valid,
  });

  // Anyone's change to this customer (a link by the engine, a reviewer's split) refreshes the page in place.
  const live = useLive<{ data: HistoryEntry }>(
    `customer-${customerId}`,
    (handlers) => api.live.audit.subscribe({ entityType: 'golden_record' }, handlers),
    (e) => {
      if (e.data.entityId === customerId) void queryClient.invalidateQueries({ queryKey: key });
    },
  );

  const search = useCallback(
    async (text: string) => {
      const [first] = searchCriteria(text);
      return first
        ? api.customers.search.query({
            ...first.input,
            limit: 20,
            reason: reason ?? `merge candidates for customer ${customerId}`,
          })
        : [];
    },
    [api, reason, customerId],
  );

  const reveal = useCallback<RevealValue>(
    (target, field) =>
      api.access.reveal.mutate({ ...target, field, ...(reason ? { reason } : {}) }).then((r) => r.value),
    [api, reason],
  );

  if (!valid)
    return <EmptyState title="No such customer">The address does not hold a customer id.</EmptyState>;
  if (customer.error) return <ErrorNotice error={customer.error} onRetry={() => void customer.refetch()} />;
  if (!customer.data) return <Skeleton rows={10} height="1.75rem" />;

  return (
    <>
      {mergeError ? <ErrorNotice error={mergeError} /> : null}
      <RevealProvider reveal={reveal}>
        <GoldenRecordView
          customer={customer.data}
          lastSplit={lastSplit}
          liveStatus={live.status}
          onMerge={() => setMerging(true)}
          onErase={mayErase ? () => setErasing(true) : undefined}
          onSplit={async (recordId, reason) => {
            const member = customer.data.members.find((m) => m.recordId === recordId);
            const result = await api.customers.split.mutate({ customerId, recordId, reason });
            queryClient.setQueryData(key, result.customer);
            setLastSplit({
              member: member ? `${member.source} ${member.externalId}` : 'The record',
              newCustomerId: result.newCustomer.id,
            });
          }}
        />
      </RevealProvider>
      {mayReadTrail ? (
        <p>
          <Link to={`/access?customerId=${customerId}`}>Who read this customer (access trail)</Link>
        </p>
      ) : null}
      <GoldenContactFamilies goldenId={customerId} />
      {mayErase ? (
        <EraseDialog
          open={erasing}
          customerName={personName(customer.data.best)}
          preview={(reason) => api.privacy.erase.mutate({ customerId, reason, dryRun: true })}
          erase={async (reason) => {
            await api.privacy.erase.mutate({ customerId, reason });
            setErasing(false);
            await queryClient.invalidateQueries({ queryKey: key });
          }}
          onCancel={() => setErasing(false)}
        />
      ) : null}
      <MergeDialog
        open={merging}
        survivorId={customerId}
        survivorName={personName(customer.data.best)}
        search={search}
        busy={mergeBusy}
        onCancel={() => setMerging(false)}
        onConfirm={(mergedId, reason) => {
          setMergeBusy(true);
          setMergeError(null);
          api.customers.merge
            .mutate({ survivorId: customerId, mergedId, reason })
            .then(
              (merged) => {
                queryClient.setQueryData(key, merged);
                setMerging(false);
              },
              (e: unknown) => {
                setMergeError(e);
                setMerging(false);
              },
            )
            .finally(() => setMergeBusy(false));
        }}
      />
    </>
  );
}
