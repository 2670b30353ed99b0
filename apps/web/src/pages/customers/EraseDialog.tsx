import { useId, useState } from 'react';
import { formatCount, messageOf } from '../../ui/format';
import { ModalForm } from '../../ui/ModalForm';

/** What the server's dry run says an erasure would remove (ids and counts, never values). */
export interface ErasurePreview {
  records: unknown[];
  goldenRecords: Array<{ goldenId: string; outcome: 'erased' | 'resettled'; membersLeft: number }>;
  faceReferences: unknown[];
  reviewCases: Array<{ closes: boolean }>;
  contacts: unknown[];
  blockingKeys: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * Erasing a person (admins): a reason, then the server's dry run of what would go, then the
 * erasure itself. Nothing is erased before the admin has read the dry run's answer.
 */
export function EraseDialog({
  open,
  customerName,
  preview,
  erase,
  onCancel,
}: {
  open: boolean;
  customerName: string;
  preview: (reason: string) => Promise<ErasurePreview>;
  /** Resolves once erased; rejects with what went wrong (shown here). */
  erase: (reason: string) => Promise<void>;
  onCancel: () => void;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [plan, setPlan] = useState<ErasurePreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ready = reason.trim().length >= 3 && !busy;

  const run = async (step: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ModalForm
      open={open}
      onOpen={() => {
        setReason('');
        setPlan(null);
        setError(null);
      }}
      className="erase-dialog"
      title={`Erase ${customerName}?`}
      onCancel={onCancel}
      onSubmit={() => {
        if (!ready) return;
        const why = reason.trim();
        void run(async () => {
          if (plan === null) setPlan(await preview(why));
          else await erase(why);
        });
      }}
    >
      <p className="muted">
        Every personal value of this customer and its member records is removed for good: from the database,
        the search index, ABIS and /identify. Ids, dates and decisions stay, with your reason.
      </p>
      <label className="field" htmlFor={`${id}-reason`}>
        <span>Why is this person erased? (kept with the erasure; no personal values)</span>
        <textarea
          id={`${id}-reason`}
          rows={2}
          required
          value={reason}
          readOnly={plan !== null}
          onChange={(e) => setReason(e.target.value)}
        />
      </label>
      {plan ? (
        <div className="notice" role="status" aria-label="What would be erased">
          <p>This erasure would remove:</p>
          <ul>
            <li>{plural(plan.records.length, 'record')}</li>
            {plan.goldenRecords.map((g) => (
              <li key={g.goldenId}>
                {g.outcome === 'erased'
                  ? 'the customer itself (nothing is left of it)'
                  : `values from the customer, re-settled from ${plural(g.membersLeft, 'member')} left`}
              </li>
            ))}
            <li>{plural(plan.faceReferences.length, 'face reference')} in ABIS</li>
            <li>{plural(plan.reviewCases.filter((c) => c.closes).length, 'open review case')}</li>
            <li>{plural(plan.contacts.length, '/identify contact family', '/identify contact families')}</li>
            <li>{plural(plan.blockingKeys, 'blocking key')}</li>
          </ul>
        </div>
      ) : null}
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={plan ? 'danger' : 'primary'} disabled={!ready}>
          {busy ? 'Working…' : plan ? 'Erase for good' : 'Show what would be erased'}
        </button>
      </div>
    </ModalForm>
  );
}
