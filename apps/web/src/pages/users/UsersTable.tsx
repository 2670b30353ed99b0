import { formatAgo, formatDateTime } from '../../ui/format';
import type { UserView } from './userTypes';

export function UsersTable({
  users,
  me,
  now = Date.now(),
  onDisable,
  onIssueKey,
  onShowKeys,
}: {
  users: UserView[];
  /** The signed-in admin: an account cannot disable itself. */
  me: string;
  now?: number;
  onDisable: (user: UserView) => void;
  onIssueKey: (user: UserView) => void;
  onShowKeys: (user: UserView) => void;
}) {
  // Usernames are case-insensitive (the server matches them so).
  const isMe = (u: UserView) => u.username.toLowerCase() === me.toLowerCase();
  return (
    <div className="table-wrap">
      <table aria-label="Users">
        <thead>
          <tr>
            <th>Username</th>
            <th>Role</th>
            <th>Last sign-in</th>
            <th>Created</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className={u.disabled ? 'user-disabled' : undefined}>
              <td>
                <strong>{u.username}</strong>
                {isMe(u) ? <small className="muted"> (you)</small> : null}
                <div>
                  <small className="muted">{u.kind === 'service' ? 'service account' : 'person'}</small>
                </div>
              </td>
              <td>
                <span className={`badge role-${u.role}`}>{u.role}</span>
              </td>
              <td className="nowrap" title={u.lastLoginAt ? formatDateTime(u.lastLoginAt) : undefined}>
                {u.lastLoginAt ? formatAgo(u.lastLoginAt, now) : <span className="muted">never</span>}
              </td>
              <td className="nowrap" title={formatDateTime(u.createdAt)}>
                {formatAgo(u.createdAt, now)}
                {u.createdBy ? (
                  <div>
                    <small className="muted">by {u.createdBy}</small>
                  </div>
                ) : null}
              </td>
              <td>
                <span className={`badge ${u.disabled ? 'decision-cancelled' : 'decision-linked'}`}>
                  {u.disabled ? 'disabled' : 'active'}
                </span>
              </td>
              <td className="row-actions">
                {u.kind === 'service' && !u.disabled ? (
                  <button
                    type="button"
                    onClick={() => onIssueKey(u)}
                    aria-label={`Issue an API key for ${u.username}`}
                  >
                    New API key
                  </button>
                ) : null}
                {u.kind === 'service' ? (
                  <button
                    type="button"
                    onClick={() => onShowKeys(u)}
                    aria-label={`API keys of ${u.username}`}
                  >
                    Keys
                  </button>
                ) : null}
                {!u.disabled && !isMe(u) ? (
                  <button type="button" onClick={() => onDisable(u)} aria-label={`Disable ${u.username}`}>
                    Disable
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
