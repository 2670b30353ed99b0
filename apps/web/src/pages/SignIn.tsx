import { useState, type FormEvent } from 'react';
import { useSession } from '../api/ApiProvider';
import { messageOf } from '../ui/format';

export function SignIn() {
  const { session, state } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = state.status === 'signedOut' ? state.notice : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await session.signIn(username.trim(), password);
    } catch (failure) {
      setError(messageOf(failure));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form onSubmit={(e) => void submit(e)} className="card sign-in-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Sign in to Nexus</h1>
        {notice ? <p className="notice">{notice}</p> : null}
        <label className="field">
          <span>Username</span>
          <input
            name="username"
            autoComplete="username"
            autoFocus
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Password</span>
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {error ? (
          <p className="notice notice-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          First start? <code>npm start</code> printed the admin password once; admins add users on the Users
          page or with <code>nexus user add</code>.
        </p>
      </form>
    </main>
  );
}
