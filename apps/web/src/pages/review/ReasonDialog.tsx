import { useEffect, useId, useRef, useState } from 'react';
import { ErrorNotice } from '../../ui/states';
import { useModalDialog } from '../../ui/useModalDialog';

const MIN_REASON = 3;

/**
 * Asks the reason a resolution needs (it goes into the audit log). One line, so Enter submits
 * and the whole decision stays on the keyboard; Escape cancels.
 */
export function ReasonDialog({
  title,
  description,
  confirmLabel,
  danger = false,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  danger?: boolean;
  busy: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState('');
  const id = useId();
  // Shown for as long as it is mounted, the reason field ready for typing.
  const ref = useModalDialog(true, () => input.current?.focus());
  useEffect(() => {
    const dialog = ref.current;
    // Closed, not only removed, on the way out: close() hands focus back to where it was, so the
    // case page's keys keep working after the decision.
    return () => {
      if (typeof dialog?.close === 'function' && dialog.open) dialog.close();
    };
  }, [ref]);
  const tooShort = reason.trim().length < MIN_REASON;
  return (
    <dialog
      ref={ref}
      className="dialog review-dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!tooShort && !busy) onConfirm(reason.trim());
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        <p className="muted">{description}</p>
        <label htmlFor={id} className="field">
          <span>Reason (kept in the audit log)</span>
          <input
            ref={input}
            id={id}
            value={reason}
            autoComplete="off"
            maxLength={2000}
            placeholder="e.g. same date of birth and phone, name typo"
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
        {error ? <ErrorNotice error={error} /> : null}
        <div className="dialog-actions">
          <small className="muted dialog-hint">
            <kbd>Enter</kbd> confirm · <kbd>Esc</kbd> cancel
          </small>
          <button type="button" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={tooShort || busy}>
            {busy ? 'Saving…' : confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
