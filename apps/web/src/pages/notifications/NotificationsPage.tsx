import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { mayCall } from '@nexus/schema/roles';
import { useApi, useSession } from '../../api/ApiProvider';
import { formatAgo, formatCount, formatDateTime, messageOf } from '../../ui/format';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';

type Kind = 'webhook' | 'slack' | 'email';

/**
 * Subscriptions (webhooks, Slack, email) and their deliveries. Admins subscribe and delete;
 * operators watch, pause, resume and redeliver (docs/notifications.md).
 */
export function NotificationsPage() {
  const api = useApi();
  const { state } = useSession();
  const isAdmin = state.status === 'signedIn' && mayCall('admin', state.user.role);
  const queryClient = useQueryClient();
  const subscriptions = useQuery({
    queryKey: ['notifications.list'],
    queryFn: () => api.notifications.list.query(),
    refetchInterval: 5000,
  });
  const [open, setOpen] = useState<string | null>(null);
  const deliveries = useQuery({
    queryKey: ['notifications.deliveries', open],
    queryFn: () => {
      if (open === null) throw new Error('notifications.deliveries ran with no notification open');
      return api.notifications.deliveries.query({ id: open, limit: 50 });
    },
    enabled: open !== null,
    refetchInterval: 3000,
  });
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: ['notifications.list'] }),
      queryClient.invalidateQueries({ queryKey: ['notifications.deliveries'] }),
    ]);
  const act = (call: () => Promise<unknown>) => {
    setError(null);
    call().then(refresh, (e: unknown) => setError(messageOf(e)));
  };

  const [kind, setKind] = useState<Kind>('webhook');
  const [target, setTarget] = useState('');
  const [events, setEvents] = useState('job.completed, job.failed');
  const create = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setSecret(null);
    const types = events
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const input =
      kind === 'email' ? { kind, to: target, events: types } : { kind, url: target, events: types };
    api.notifications.create.mutate(input).then(
      (made) => {
        setTarget('');
        if ('secret' in made && made.secret) setSecret(made.secret);
        void refresh();
      },
      (err: unknown) => setError(messageOf(err)),
    );
  };

  return (
    <div className="notifications-page">
      <PageHeader title="Notifications" />
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      {secret ? (
        <div className="notice notice-ok" role="status">
          Signing secret, shown only this once: <code data-testid="webhook-secret">{secret}</code>
        </div>
      ) : null}
      {isAdmin ? (
        <form className="inline-form" aria-label="Subscribe" onSubmit={create}>
          <label>
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="webhook">webhook</option>
              <option value="slack">slack</option>
              <option value="email">email</option>
            </select>
          </label>
          <label>
            {kind === 'email' ? 'Address' : 'URL'}{' '}
            <input value={target} onChange={(e) => setTarget(e.target.value)} required />
          </label>
          <label>
            Events <input value={events} onChange={(e) => setEvents(e.target.value)} required />
          </label>
          <button type="submit">Subscribe</button>
        </form>
      ) : null}
      {subscriptions.isPending ? (
        <Skeleton rows={4} />
      ) : subscriptions.isError ? (
        <ErrorNotice error={subscriptions.error} onRetry={() => void subscriptions.refetch()} />
      ) : subscriptions.data.length === 0 ? (
        <EmptyState title="No subscriptions">
          {isAdmin
            ? 'Subscribe a webhook, a Slack channel or an email address above.'
            : 'An admin can add one.'}
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table aria-label="Subscriptions">
            <thead>
              <tr>
                <th>Where</th>
                <th>Events</th>
                <th>State</th>
                <th>Waiting</th>
                <th>Last error</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {subscriptions.data.map((s) => (
                <tr key={s.id}>
                  <td>
                    <span className="badge">{s.kind}</span> {s.url ?? s.to}
                  </td>
                  <td>{s.events.join(', ')}</td>
                  <td>
                    <span
                      className={`badge ${s.state === 'dead_lettered' ? 'decision-rejected' : 'decision-linked'}`}
                    >
                      {s.paused ? 'paused' : s.state === 'dead_lettered' ? 'dead-lettered' : 'active'}
                    </span>
                  </td>
                  <td>{formatCount(s.pending)}</td>
                  <td>{s.lastError ?? <span className="muted">none</span>}</td>
                  <td className="row-actions">
                    <button type="button" onClick={() => setOpen(open === s.id ? null : s.id)}>
                      Deliveries
                    </button>
                    {s.paused || s.state === 'dead_lettered' ? (
                      <button
                        type="button"
                        onClick={() => act(() => api.notifications.resume.mutate({ id: s.id }))}
                      >
                        Resume
                      </button>
                    ) : (
                      <button
                        type="button"
                        onClick={() => act(() => api.notifications.pause.mutate({ id: s.id }))}
                      >
                        Pause
                      </button>
                    )}
                    {isAdmin ? (
                      <button
                        type="button"
                        onClick={() => {
                          if (open === s.id) setOpen(null);
                          act(() => api.notifications.delete.mutate({ id: s.id }));
                        }}
                      >
                        Delete
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {open !== null ? (
        <section aria-label="Deliveries">
          <h2>Deliveries</h2>
          {deliveries.isPending ? (
            <Skeleton rows={3} />
          ) : deliveries.isError ? (
            <ErrorNotice error={deliveries.error} />
          ) : deliveries.data.length === 0 ? (
            <EmptyState title="Nothing delivered yet" />
          ) : (
            <div className="table-wrap">
              <table aria-label="Delivery log">
                <thead>
                  <tr>
                    <th>Event</th>
                    <th>Status</th>
                    <th>Attempts</th>
                    <th>Last answer</th>
                    <th>Created</th>
                    <th aria-label="Actions" />
                  </tr>
                </thead>
                <tbody>
                  {deliveries.data.map((d) => (
                    <tr key={d.id}>
                      <td>
                        {d.type}{' '}
                        <small className="muted">
                          {d.key} #{d.sequence}
                        </small>
                      </td>
                      <td>{d.status}</td>
                      <td
                        title={d.attemptLog
                          .map((a) => `${a.at}: ${a.statusCode ?? a.error ?? ''}`)
                          .join('\n')}
                      >
                        {d.attempts}
                      </td>
                      <td>{d.lastStatusCode ?? d.lastError ?? <span className="muted">–</span>}</td>
                      <td title={formatDateTime(d.createdAt)}>{formatAgo(d.createdAt, Date.now())}</td>
                      <td className="row-actions">
                        <button
                          type="button"
                          onClick={() =>
                            act(() =>
                              api.notifications.redeliver.mutate({ id: open, deliveryId: Number(d.id) }),
                            )
                          }
                        >
                          Redeliver
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ) : null}
    </div>
  );
}
