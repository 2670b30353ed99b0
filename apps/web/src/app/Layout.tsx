import { useEffect, useState } from 'react';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { useApi, useConnection, useSession } from '../api/ApiProvider';
import { ChangePasswordDialog } from '../pages/users/ChangePasswordDialog';
import { navFor } from './navigation';

/** The frame around every signed-in page: navigation for the user's role, who is signed in, the live link's state. */
export function Layout() {
  const { session, state } = useSession();
  const connection = useConnection();
  const api = useApi();
  const [changingPassword, setChangingPassword] = useState(false);
  const navigate = useNavigate();
  const user = state.status === 'signedIn' ? state.user : null;
  const items = user ? navFor(user.role) : [];

  useEffect(() => {
    // "g" then a letter jumps between pages, as in most web tools; never while typing.
    let pending = false;
    let timer: number | undefined;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, textarea, select, [contenteditable]'))
        return;
      if (!pending && e.key === 'g') {
        pending = true;
        timer = window.setTimeout(() => (pending = false), 1000);
        return;
      }
      if (pending) {
        pending = false;
        window.clearTimeout(timer);
        const item = items.find((i) => i.key === e.key);
        if (item) void navigate(item.to);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items, navigate]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Nexus</div>
        <ul>
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} className={({ isActive }) => (isActive ? 'active' : undefined)}>
                {item.label}
              </NavLink>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          <span className={`connection connection-${connection}`} title={`Live updates: ${connection}`}>
            {connection === 'open' ? 'Live' : connection === 'connecting' ? 'Connecting…' : 'Reconnecting…'}
          </span>
          {user ? (
            <div className="whoami">
              <span>
                {user.username} <small>({user.role})</small>
              </span>
              <span className="whoami-actions">
                <button type="button" className="button-link" onClick={() => setChangingPassword(true)}>
                  Password
                </button>
                <button type="button" className="button-link" onClick={() => void session.signOut()}>
                  Sign out
                </button>
              </span>
            </div>
          ) : null}
        </div>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
      {user?.kind === 'person' ? (
        <ChangePasswordDialog
          open={changingPassword}
          onClose={() => setChangingPassword(false)}
          onChange={async (currentPassword, newPassword) => {
            await api.auth.changePassword.mutate({ currentPassword, newPassword });
          }}
        />
      ) : null}
    </div>
  );
}
