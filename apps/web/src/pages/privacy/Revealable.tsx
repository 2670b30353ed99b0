import { createContext, useContext, useState, type ReactNode } from 'react';
import { DASHBOARD_MASKED, type MaskedField } from '@nexus/schema/masks';

/** Whose value a Reveal asks for: a record's as received, a golden record's best value, or a contact's. */
export type RevealTarget = { recordId: string } | { customerId: string } | { contactId: number };

/** Asks the server for one value in full; the server records the read (`access.reveal.<field>`). */
export type RevealValue = (target: RevealTarget, field: MaskedField) => Promise<string | null>;

const RevealContext = createContext<RevealValue | null>(null);

/** Pages that may reveal (a customer, a review case, contacts) give the call; views tested alone get none. */
export function RevealProvider({ reveal, children }: { reveal: RevealValue; children: ReactNode }) {
  return <RevealContext.Provider value={reveal}>{children}</RevealContext.Provider>;
}

/** The server's masks start with five or more stars (maskValue in @nexus/schema). */
export const isMasked = (value: string): boolean => /^\*{5,}/.test(value);

const FIELD_NAMES: Record<MaskedField, string> = {
  national_id: 'national id',
  phone: 'phone',
  email: 'email',
};

/**
 * A value as the dashboard shows it: national ids and phones come masked (`*****6625`) and a
 * Reveal button asks the server for the full one, which it records as an access record. The full
 * value exists in the page only after that click, for as long as the page shows it.
 */
export function Revealable({
  field,
  value,
  target,
}: {
  field: string;
  value: string;
  target: RevealTarget | null;
}) {
  const reveal = useContext(RevealContext);
  const [shown, setShown] = useState<string | null>(null);
  const [state, setState] = useState<'idle' | 'busy' | 'failed'>('idle');
  const maskable = (DASHBOARD_MASKED as readonly string[]).includes(field);
  if (!maskable || !isMasked(value) || !reveal || !target) return <>{value}</>;
  if (shown !== null) return <span className="revealed">{shown}</span>;
  const name = FIELD_NAMES[field as MaskedField];
  const onReveal = () => {
    setState('busy');
    reveal(target, field as MaskedField).then(
      (full) => {
        setShown(full ?? '');
        setState('idle');
      },
      () => setState('failed'),
    );
  };
  return (
    <span className="masked">
      <span aria-label={`${name} masked`}>{value}</span>{' '}
      <button
        type="button"
        className="button-link"
        disabled={state === 'busy'}
        title={`Show the full ${name} (recorded in the access trail)`}
        onClick={onReveal}
      >
        Reveal
      </button>
      {state === 'failed' ? <small className="danger-text"> could not reveal</small> : null}
    </span>
  );
}
