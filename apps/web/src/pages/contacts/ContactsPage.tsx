import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { PageHeader } from '../../ui/states';
import { AccessReasonField, useAccessReason } from '../privacy/accessReason';
import { ContactsView, contactQueryOf } from './ContactsView';
import './contacts.css';

export function ContactsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  // The look-up lives in the address: Back from a golden record returns to the same family.
  const text = params.get('q') ?? '';
  const query = contactQueryOf(text);
  const access = useAccessReason();
  const found = useQuery({
    queryKey: ['contacts.find', query],
    // The reason goes with the look-up, not into its cache key: editing it does not search again.
    queryFn: () => api.contacts.find.query({ ...query!, reason: access.reason.trim() }),
    enabled: query !== null && access.valid,
  });
  return (
    <>
      <PageHeader title="Contacts" />
      <AccessReasonField reason={access.reason} onReason={access.setReason} />
      <ContactsView
        initial={text}
        query={query}
        families={found.data}
        loading={found.isFetching}
        error={found.error}
        onSearch={(q) => setParams({ q: q.email ?? q.phoneNumber ?? '' })}
        onRetry={() => void found.refetch()}
      />
    </>
  );
}
