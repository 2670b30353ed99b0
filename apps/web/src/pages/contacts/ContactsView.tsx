import { useId, useState, type FormEvent } from 'react';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import { ContactFamilyCard } from './ContactFamilyCard';
import type { ContactFamily } from './contactTypes';

export interface ContactQuery {
  email?: string;
  phoneNumber?: string;
}

/** What the box holds: an email when it has an @, else a phone number. */
export function contactQueryOf(text: string): ContactQuery | null {
  const value = text.trim();
  if (value === '') return null;
  return value.includes('@') ? { email: value } : { phoneNumber: value };
}

/** Look a contact family up by email or phone (read only: a look-up creates nothing). */
export function ContactsView({
  initial = '',
  query,
  families,
  loading,
  error,
  onSearch,
  onRetry,
  now,
}: {
  initial?: string;
  query: ContactQuery | null;
  families: ContactFamily[] | undefined;
  loading: boolean;
  error: unknown;
  onSearch: (query: ContactQuery) => void;
  onRetry: () => void;
  now?: number;
}) {
  const [text, setText] = useState(initial);
  const inputId = useId();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const q = contactQueryOf(text);
    if (q) onSearch(q);
  };
  return (
    <section className="contacts">
      <form className="contacts-search" onSubmit={submit} role="search">
        <label htmlFor={inputId} className="field search-field">
          <span>Email or phone number</span>
          <input
            id={inputId}
            type="search"
            value={text}
            autoFocus
            autoComplete="off"
            placeholder="lorraine@hillvalley.edu or +1 555 0100"
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        <button type="submit" className="button" disabled={contactQueryOf(text) === null}>
          Look up
        </button>
      </form>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {query === null ? (
        <EmptyState title="Look up a contact">
          Give an email or a phone number: the family it belongs to, as /identify answers it, with its
          history.
        </EmptyState>
      ) : loading && !families ? (
        <Skeleton rows={6} />
      ) : families && families.length === 0 ? (
        <EmptyState title="No contact holds this value">
          /identify has not seen {query.email ?? query.phoneNumber} (or its family was deleted).
        </EmptyState>
      ) : (
        families?.map((f) => <ContactFamilyCard key={f.primary.id} family={f} now={now} />)
      )}
    </section>
  );
}
