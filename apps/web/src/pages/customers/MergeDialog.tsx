import { useEffect, useId, useState } from 'react';
import { formatCount, messageOf } from '../../ui/format';
import { ModalForm } from '../../ui/ModalForm';
import type { CustomerSummary } from './customerTypes';
import { identifiersOf, personName, valueText } from './people';

/**
 * Picks another customer to merge into this one, with a reason (it goes into the audit log).
 * The other customer's members move here; it then points to this one.
 */
export function MergeDialog({
  open,
  survivorId,
  survivorName,
  search,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  survivorId: string;
  survivorName: string;
  search: (text: string) => Promise<CustomerSummary[]>;
  busy: boolean;
  onConfirm: (mergedId: string, reason: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [hits, setHits] = useState<CustomerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<CustomerSummary | null>(null);
  const [reason, setReason] = useState('');

  const reset = () => {
    setText('');
    setHits(null);
    setPicked(null);
    setReason('');
  };

  useEffect(() => {
    if (text.trim().length < 2) return;
    let current = true;
    const timer = window.setTimeout(() => {
      search(text.trim()).then(
        (found) => {
          if (!current) return;
          setHits(found.filter((c) => c.id !== survivorId));
          setError(null);
        },
        (e: unknown) => current && setError(messageOf(e)),
      );
    }, 250);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [text, search, survivorId]);

  const ready = picked !== null && reason.trim().length >= 3 && !busy;
  return (
    <ModalForm
      open={open}
      onOpen={reset}
      className="merge-dialog"
      title={`Merge another customer into ${survivorName}`}
      onCancel={onCancel}
      onSubmit={() => {
        if (ready) onConfirm(picked.id, reason.trim());
      }}
    >
      <p className="muted">
        Its members move here and it is closed, pointing to this customer. A wrong merge is undone by
        splitting members out again.
      </p>
      <label className="field" htmlFor={`${id}-search`}>
        <span>Find the other customer</span>
        <input
          id={`${id}-search`}
          type="search"
          value={text}
          autoComplete="off"
          placeholder="Name, date of birth or identifier"
          onChange={(e) => setText(e.target.value)}
        />
      </label>
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <fieldset className="merge-candidates">
        <legend className="visually-hidden">Customer to merge</legend>
        {hits === null ? (
          <p className="muted">Type at least two characters.</p>
        ) : hits.length === 0 ? (
          <p className="muted">No other customer matches.</p>
        ) : (
          hits.slice(0, 8).map((c) => (
            <label key={c.id} className={`merge-candidate${picked?.id === c.id ? ' picked' : ''}`}>
              <input
                type="radio"
                name={`${id}-pick`}
                checked={picked?.id === c.id}
                onChange={() => setPicked(c)}
              />
              <span>
                <strong>{personName(c.best)}</strong> <small>{valueText(c.best.date_of_birth)}</small>
                <br />
                <small className="muted">
                  {identifiersOf(c.best) || 'no identifiers'} · {formatCount(c.memberCount)} member
                  {c.memberCount === 1 ? '' : 's'}
                </small>
              </span>
            </label>
          ))
        )}
      </fieldset>
      <label className="field" htmlFor={`${id}-reason`}>
        <span>Why are they the same person? (goes into the audit log)</span>
        <textarea
          id={`${id}-reason`}
          rows={3}
          required
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={!ready}>
          {busy ? 'Merging…' : picked ? `Merge ${personName(picked.best)} here` : 'Merge'}
        </button>
      </div>
    </ModalForm>
  );
}
