import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import type { Api } from '../../api/client';
import { PageHeader } from '../../ui/states';
import { AccessReasonField, useAccessReason } from '../privacy/accessReason';
import { CustomerSearchView, type CustomerHit } from './CustomerSearchView';
import { searchCriteria, type SearchCriterion } from './people';
import './customers.css';

const LIMIT = 50;

/** Every reading of the text at once; a customer found several ways is listed once, newest change first. */
async function searchAll(api: Api, criteria: SearchCriterion[], reason: string): Promise<CustomerHit[]> {
  const answers = await Promise.all(
    criteria.map(async (c) => ({
      label: c.label,
      hits: await api.customers.search.query({ ...c.input, limit: LIMIT, reason }),
    })),
  );
  const byId = new Map<string, CustomerHit>();
  for (const { label, hits } of answers) {
    for (const hit of hits) {
      const seen = byId.get(hit.id);
      if (seen) seen.matchedBy.push(label);
      else byId.set(hit.id, { ...hit, matchedBy: [label] });
    }
  }
  const all = [...byId.values()];
  if (criteria.length === 1) for (const hit of all) hit.matchedBy = [];
  return all.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

export function CustomersPage() {
  const api = useApi();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(() => params.get('q') ?? '');
  const settled = useDebounced(text, 250);
  const criteria = useMemo(() => searchCriteria(settled), [settled]);
  const access = useAccessReason();
  const reason = useDebounced(access.reason.trim(), 250);

  useEffect(() => {
    // The search lives in the address: Back from a customer returns to the same results.
    const q = settled.trim();
    if ((params.get('q') ?? '') !== q) setParams(q ? { q } : {}, { replace: true });
  }, [settled, params, setParams]);

  const search = useQuery({
    queryKey: ['customers.search', criteria.map((c) => c.input), reason],
    queryFn: () => searchAll(api, criteria, reason),
    enabled: criteria.length > 0 && access.valid && reason.length >= 3,
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title="Customers" />
      <AccessReasonField reason={access.reason} onReason={access.setReason} />
      <CustomerSearchView
        text={text}
        onText={setText}
        readings={searchCriteria(text).map((c) => c.label)}
        hits={criteria.length > 0 ? search.data : undefined}
        searching={search.isFetching || settled !== text}
        error={search.error}
        onRetry={() => void search.refetch()}
        onOpen={(id) => void navigate(`/customers/${id}`)}
      />
    </>
  );
}
