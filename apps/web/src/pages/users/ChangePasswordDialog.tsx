import { useId, useState } from 'react';
import { messageOf } from '../../ui/format';
import { ModalForm } from '../../ui/ModalForm';
import { MIN_PASSWORD } from './userTypes';

/** The signed-in user's own password: the current one, then the new one twice. */
export function ChangePasswordDialog({
  open,
  onChange,
  onClose,
}: {
  open: boolean;
  onChange: (currentPassword: string, newPassword: string) => Promise<void>;
  onClose: () => void;
}) {
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);

  const reset = () => {
    setCurrent('');
    setNext('');
    setAgain('');
    setError(null);
    setDone(false);
  };

  const short = next !== '' && next.length < MIN_PASSWORD;
  const mismatch = again !== '' && again !== next;
  const ready = current !== '' && next.length >= MIN_PASSWORD && again === next && !busy;

  return (
    <ModalForm
      open={open}
      onOpen={reset}
      title="Change my password"
      onCancel={onClose}
      onSubmit={() => {
        if (!ready) return;
        setBusy(true);
        setError(null);
        onChange(current, next)
          .then(() => setDone(true))
          .catch((err: unknown) => setError(messageOf(err)))
          .finally(() => setBusy(false));
      }}
    >
      {done ? (
        <p className="notice notice-ok" role="status">
          Your password is changed: use it next time you sign in. Your other sessions are signed out.
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-current`}>Current password</label>
            <input
              id={`${id}-current`}
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-new`}>New password</label>
            <input
              id={`${id}-new`}
              type="password"
              autoComplete="new-password"
              value={next}
              aria-invalid={short ? true : undefined}
              onChange={(e) => setNext(e.target.value)}
            />
            <small className={short ? 'field-error' : 'muted'}>At least {MIN_PASSWORD} characters.</small>
          </div>
          <div className="field">
            <label htmlFor={`${id}-again`}>New password again</label>
            <input
              id={`${id}-again`}
              type="password"
              autoComplete="new-password"
              value={again}
              aria-invalid={mismatch ? true : undefined}
              onChange={(e) => setAgain(e.target.value)}
            />
            {mismatch ? <small className="field-error">The two do not match.</small> : null}
          </div>
          {error ? (
            <p className="notice notice-error" role="alert">
              {error}
            </p>
          ) : null}
        </>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {done ? 'Close' : 'Cancel'}
        </button>
        {done ? null : (
          <button type="submit" className="primary" disabled={!ready}>
            {busy ? 'Changing…' : 'Change password'}
          </button>
        )}
      </div>
    </ModalForm>
  );
}
