import { sql } from 'kysely';
import type { EventEnvelope } from '@nexus/schema';
import type { Db, EventPublisher } from '@nexus/actors';

export interface EventRelay {
  /** Wakes the relay now (a decision or a notification was committed) instead of at its next tick. */
  kick(): void;
  /** Calls `listener` after events were moved into the log (delivery workers and long polls wake). */
  onRelayed(listener: () => void): () => void;
  stop(): Promise<void>;
  /** Events written but not yet in the log. */
  backlog(): Promise<number>;
  /** Why the last attempt failed, until one succeeds (shown by /health). */
  lastError(): string | undefined;
}

/** The outbox log's single-writer lock, the one notify() took before issue 17 (decision 0035). */
const LOG_LOCK = sql`select pg_advisory_xact_lock(hashtext('nexus.notifications.outbox'))`;

/**
 * Carries the transactional outbox (event_outbox, written by the state changes themselves) to its
 * readers: first to Kafka's `nexus.events` when Kafka is configured (acks=all), then into the
 * notifications log that webhooks, Slack, email and `GET /api/v1/events` read, deleting the
 * moved rows, all in one transaction under the log's lock. So:
 * - the log's ids commit in id order (one writer at a time), and a reader's cursor skips nothing;
 * - a key's events enter in sequence order: a key's later event cannot commit before its earlier
 *   one (the per-key sequence row is locked until commit), and rows move oldest first;
 * - a crash after Kafka acknowledged and before the commit sends those events to Kafka again,
 *   with the same ids (at least once); the log takes each id once (unique event_id).
 */
export function startEventRelay(
  db: Db,
  kafka: EventPublisher | undefined,
  options: { batchSize?: number; intervalMs?: number } = {},
): EventRelay {
  const batchSize = options.batchSize ?? 500;
  const intervalMs = options.intervalMs ?? 500;
  const listeners = new Set<() => void>();
  let stopped = false;
  let wake: (() => void) | undefined;
  let kicked = false;
  let lastError: string | undefined;

  async function relayOnce(): Promise<number> {
    return db.transaction().execute(async (trx) => {
      await LOG_LOCK.execute(trx);
      const rows = await trx.selectFrom('event_outbox').selectAll().orderBy('id').limit(batchSize).execute();
      if (rows.length === 0) return 0;
      if (kafka) await kafka.publishEvents(rows.map(envelopeOf));
      await trx
        .insertInto('notifications')
        .values(
          rows.map((r) => ({
            event_id: r.event_id,
            type: r.type,
            key: r.key,
            sequence: r.sequence,
            schema_version: r.schema_version,
            source: r.source,
            data: JSON.stringify(r.data) as never,
            created_at: r.created_at,
          })),
        )
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute();
      await trx
        .deleteFrom('event_outbox')
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.length;
    });
  }

  const loop = (async () => {
    while (!stopped) {
      let moved = 0;
      kicked = false;
      try {
        moved = await relayOnce();
        lastError = undefined;
      } catch (error) {
        lastError = String(error);
      }
      if (moved > 0) for (const listener of [...listeners]) listener();
      if (moved === batchSize || kicked || stopped) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, lastError ? intervalMs * 8 : intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();

  return {
    lastError: () => lastError,
    kick: () => {
      kicked = true;
      wake?.();
    },
    onRelayed(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
    backlog: async () => {
      const row = await db
        .selectFrom('event_outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

/** An outbox row as every consumer sees it (the same shape the log answers). */
export function envelopeOf(row: {
  event_id: string;
  type: string;
  key: string;
  sequence: number;
  schema_version: number;
  source: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}): EventEnvelope {
  return {
    id: row.event_id,
    type: row.type,
    key: row.key,
    sequence: row.sequence,
    schemaVersion: row.schema_version,
    source: row.source,
    createdAt: row.created_at.toISOString(),
    data: row.data,
  };
}
