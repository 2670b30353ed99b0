import { formatAgo, formatDateTime } from '../../ui/format';
import type { ApiKeyView } from './userTypes';

/** A service account's API keys: which one is which (the id is the part after nxk_), and revoke one. */
export function ApiKeysPanel({
  username,
  keys,
  now = Date.now(),
  onRevoke,
  onClose,
}: {
  username: string;
  keys: ApiKeyView[];
  now?: number;
  onRevoke: (key: ApiKeyView) => void;
  onClose: () => void;
}) {
  return (
    <section className="card api-keys" aria-label={`API keys of ${username}`}>
      <h2>API keys of {username}</h2>
      <p className="muted">
        A key reads <code>nxk_ID.secret</code>: the ID below tells which one a service holds. Revoking one
        ends it at once; the others go on working.
      </p>
      {keys.length === 0 ? (
        <p className="muted">No keys.</p>
      ) : (
        <div className="table-wrap">
          <table aria-label={`API keys of ${username}`}>
            <thead>
              <tr>
                <th>Key</th>
                <th>Issued</th>
                <th>Last used</th>
                <th>Status</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {keys.map((k) => (
                <tr key={k.id} className={k.revoked ? 'user-disabled' : undefined}>
                  <td>
                    <code title={k.id}>nxk_{k.id.slice(0, 8)}…</code>
                  </td>
                  <td className="nowrap" title={formatDateTime(k.createdAt)}>
                    {formatAgo(k.createdAt, now)}
                  </td>
                  <td className="nowrap">
                    {k.lastUsedAt ? formatAgo(k.lastUsedAt, now) : <span className="muted">never</span>}
                  </td>
                  <td>
                    <span className={`badge ${k.revoked ? 'decision-cancelled' : 'decision-linked'}`}>
                      {k.revoked ? 'revoked' : 'active'}
                    </span>
                  </td>
                  <td className="row-actions">
                    {k.revoked ? null : (
                      <button
                        type="button"
                        onClick={() => onRevoke(k)}
                        aria-label={`Revoke key nxk_${k.id.slice(0, 8)}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </section>
  );
}
