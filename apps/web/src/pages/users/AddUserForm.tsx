import { useId, useState } from 'react';
import { messageOf } from '../../ui/format';
import { MIN_PASSWORD, ROLES, type NewUserInput, type Role } from './userTypes';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

/** A person (with a chosen or generated password) or a service account (with an API key). */
export function AddUserForm({ onAdd }: { onAdd: (input: NewUserInput) => Promise<void> }) {
  const id = useId();
  const [username, setUsername] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [kind, setKind] = useState<'person' | 'service'>('person');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const nameProblem =
    username !== '' && !USERNAME.test(username)
      ? 'Letters, digits and . _ @ - only, starting with a letter or digit.'
      : null;
  const short = kind === 'person' && password !== '' && password.length < MIN_PASSWORD;
  const ready = username !== '' && !nameProblem && !short && !busy;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onAdd({
        username,
        role,
        kind,
        ...(kind === 'person' && password !== '' ? { password } : {}),
      });
      setUsername('');
      setPassword('');
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="card add-user"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) void submit();
      }}
    >
      <h2 id={`${id}-title`}>Add a user</h2>
      <fieldset className="kind-choice">
        <legend>Kind</legend>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === 'person'}
            onChange={() => setKind('person')}
          />{' '}
          Person <small className="muted">signs in with a password</small>
        </label>
        <label>
          <input
            type="radio"
            name={`${id}-kind`}
            checked={kind === 'service'}
            onChange={() => setKind('service')}
          />{' '}
          Service account <small className="muted">calls the API with a key</small>
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-username`}>Username</label>
        <input
          id={`${id}-username`}
          value={username}
          autoComplete="off"
          aria-invalid={nameProblem ? true : undefined}
          aria-describedby={`${id}-username-hint`}
          onChange={(e) => setUsername(e.target.value.trim())}
        />
        <small id={`${id}-username-hint`} className={nameProblem ? 'field-error' : 'muted'}>
          {nameProblem ?? 'Up to 64 characters.'}
        </small>
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r.role} value={r.role}>
              {r.role}
            </option>
          ))}
        </select>
        <small className="muted">{ROLES.find((r) => r.role === role)?.does}</small>
      </div>
      {kind === 'person' ? (
        <div className="field">
          <label htmlFor={`${id}-password`}>Initial password</label>
          <input
            id={`${id}-password`}
            type="password"
            value={password}
            autoComplete="new-password"
            aria-invalid={short ? true : undefined}
            aria-describedby={`${id}-password-hint`}
            onChange={(e) => setPassword(e.target.value)}
          />
          <small id={`${id}-password-hint`} className={short ? 'field-error' : 'muted'}>
            At least {MIN_PASSWORD} characters
            {password ? ` (${password.length} so far)` : ''}. Leave empty to generate one, shown once.
          </small>
        </div>
      ) : (
        <p className="muted">An API key is issued with the account and shown once.</p>
      )}
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={!ready}>
        {busy ? 'Adding…' : kind === 'person' ? 'Add person' : 'Add service account'}
      </button>
    </form>
  );
}
