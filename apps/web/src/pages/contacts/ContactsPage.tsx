import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { PageHeader } from '../../ui/states';
import { ContactsView, contactQueryOf } from './ContactsView';
import './contacts.css';

export function ContactsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  // The look-up lives in the address: Back from a golden record returns to the same family.
  const text = params.get('q') ?? '';
  const query = contactQueryOf(text);
  const found = useQuery({
    queryKey: ['contacts.find', query],
    queryFn: () => api.contacts.find.query(query!),
    enabled: query !== null,
  });
  return (
    <>
      <PageHeader title="Contacts" />
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
