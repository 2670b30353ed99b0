import { useCallback } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { PageHeader } from '../../ui/states';
import { AccessReasonField, useAccessReason } from '../privacy/accessReason';
import { RevealProvider, type RevealValue } from '../privacy/Revealable';
import { ContactsView, contactQueryOf } from './ContactsView';
import './contacts.css';

/** `?contact=<id>`: a family opened by id (from a golden record, whose contacts' values come masked). */
function contactIdOf(param: string | null): number | null {
  return param !== null && /^[1-9]\d{0,9}$/.test(param) ? Number(param) : null;
}

export function ContactsPage() {
  const api = useApi();
  const [params, setParams] = useSearchParams();
  // The look-up lives in the address: Back from a golden record returns to the same family.
  const text = params.get('q') ?? '';
  const query = contactQueryOf(text);
  const contactId = query === null ? contactIdOf(params.get('contact')) : null;
  const access = useAccessReason();
  // Opening a family by id or revealing takes a reason when one is given (a short one is none).
  const reason = access.valid ? access.reason.trim() : '';
  const found = useQuery({
    queryKey: ['contacts.find', query],
    // The reason goes with the look-up, not into its cache key: editing it does not search again.
    queryFn: () => {
      if (query === null) throw new Error('contacts.find ran without a contact query');
      return api.contacts.find.query({ ...query, reason });
    },
    enabled: query !== null && access.valid,
  });
  const byId = useQuery({
    queryKey: ['contacts.get', contactId],
    queryFn: async () => {
      if (contactId === null) throw new Error('contacts.get ran without a contact id');
      return [await api.contacts.get.query({ contactId, ...(reason ? { reason } : {}) })];
    },
    enabled: contactId !== null,
  });
  const shown = contactId === null ? found : byId;
  // Phones come masked: Reveal asks for one in full, recorded with the reason given above.
  const reveal = useCallback<RevealValue>(
    (target, field) =>
      api.access.reveal.mutate({ ...target, field, ...(reason ? { reason } : {}) }).then((r) => r.value),
    [api, reason],
  );
  return (
    <>
      <PageHeader title="Contacts" />
      <AccessReasonField reason={access.reason} onReason={access.setReason} />
      <RevealProvider reveal={reveal}>
        <ContactsView
          initial={text}
          query={contactId === null ? query : {}}
          families={shown.data}
          loading={shown.isFetching}
          error={shown.error}
          onSearch={(q) => setParams({ q: q.email ?? q.phoneNumber ?? '' })}
          onRetry={() => void shown.refetch()}
        />
      </RevealProvider>
    </>
  );
}
