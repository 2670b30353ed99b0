import { useId, useState, type ReactNode } from 'react';
import { ModalForm } from './ModalForm';

/**
 * Asks before something that cannot be undone; with `reasonLabel` a reason is required (it goes
 * into the audit log). Built on <dialog>: focus is trapped and Escape cancels.
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  reasonLabel,
  danger = false,
  busy = false,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  reasonLabel?: string;
  danger?: boolean;
  busy?: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const missingReason = reasonLabel !== undefined && reason.trim() === '';
  return (
    <ModalForm
      open={open}
      onOpen={() => setReason('')}
      title={title}
      onCancel={onCancel}
      onSubmit={() => {
        if (!missingReason && !busy) onConfirm(reason.trim());
      }}
    >
      {children}
      {reasonLabel !== undefined ? (
        <label htmlFor={reasonId} className="field">
          <span>{reasonLabel}</span>
          <textarea
            id={reasonId}
            value={reason}
            rows={3}
            required
            onChange={(e) => setReason(e.target.value)}
          />
        </label>
      ) : null}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className={danger ? 'danger' : 'primary'} disabled={missingReason || busy}>
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </ModalForm>
  );
}
