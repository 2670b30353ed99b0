import type { Db } from '@nexus/actors';
import { envelopeOf } from '../engine/eventRelay';
import type { NotificationMessage } from './deliveryBody';

/** How often a long poll looks again for rows written by other servers. */
const POLL_MS = 500;

export interface EventsPage {
  events: Array<NotificationMessage & { cursor: string }>;
  /** Ask with `after=` this next time (the last event's position, or the one given when none came). */
  cursor: string;
}

/**
 * `GET /api/v1/events?after=`: the outbox after a position, in order. Positions commit in order
 * (see createOutboxNotifier), so a consumer that keeps the answer's cursor misses nothing. When
 * nothing is there yet, waits up to `waitSeconds` for news (woken by `news` on this server, and
 * looking every POLL_MS for other servers' rows), then answers what it has, possibly nothing.
 */
export async function readEvents(
  db: Db,
  query: {
    after: string;
    limit: number;
    waitSeconds: number;
    type?: string | undefined;
    source?: string | undefined;
  },
  news: (listener: () => void) => () => void,
  closed: AbortSignal,
): Promise<EventsPage> {
  const deadline = Date.now() + query.waitSeconds * 1000;
  for (;;) {
    let select = db
      .selectFrom('notifications')
      .select(['id', 'event_id', 'type', 'key', 'sequence', 'schema_version', 'source', 'data', 'created_at'])
      .where('id', '>', query.after);
    if (query.type) select = select.where('type', '=', query.type);
    if (query.source) select = select.where('source', '=', query.source);
    const rows = await select.orderBy('id').limit(query.limit).execute();
    const last = rows.at(-1);
    if (last !== undefined)
      return {
        events: rows.map((r) => ({ cursor: String(r.id), ...envelopeOf(r) })),
        cursor: String(last.id),
      };
    const left = deadline - Date.now();
    if (left <= 0 || closed.aborted) return { events: [], cursor: query.after };
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        closed.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(left, POLL_MS));
      const stop = news(done);
      closed.addEventListener('abort', done, { once: true });
    });
  }
}
