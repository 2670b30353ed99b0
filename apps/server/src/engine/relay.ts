import { sql } from 'kysely';
import { canonicalRecordSchema, partitionKey, type RawRecordMessage } from '@nexus/schema';
import type { Db, RecordBus } from '@nexus/actors';

export interface StoredRecordRow {
  id: string;
  batch_id: string | null;
  source: string;
  external_id: string;
  payload: Record<string, unknown>;
  received_at: Date;
}

/** A stored record as it travels on raw_records, keyed to its partition (relay and replays). */
export function busMessageOfRecord(r: StoredRecordRow): { key: string; value: RawRecordMessage } {
  const value: RawRecordMessage = {
    recordId: r.id,
    batchId: r.batch_id,
    source: r.source,
    record: canonicalRecordSchema.parse(r.payload),
    receivedAt: r.received_at.toISOString(),
  };
  return { key: partitionKey(r.source, r.external_id), value };
}

export interface Relay {
  /** Wakes the relay now (after a batch commit) instead of at its next tick. */
  kick(): void;
  stop(): Promise<void>;
  /** Records accepted but not yet on the bus. */
  backlog(): Promise<number>;
  /** Why the last attempt failed, until one succeeds (shown by /health). */
  lastError(): string | undefined;
  /**
   * Tells the listener when the relay starts failing, fails differently, or recovers (undefined),
   * not on every retry: a database down for an hour is a handful of log lines, not thousands.
   * Returns the function that stops telling it.
   */
  onFailureChange(listener: (error: string | undefined) => void): () => void;
}

/**
 * The transactional outbox of path A: batches are committed to Postgres first; this loop
 * publishes their records to the bus and marks them relayed. A crash between the two publishes
 * them again, which the deciders absorb (idempotent on the record id).
 */
export function startRelay(
  db: Db,
  bus: RecordBus,
  options: { batchSize?: number; intervalMs?: number } = {},
): Relay {
  const batchSize = options.batchSize ?? 500;
  const intervalMs = options.intervalMs ?? 250;
  let stopped = false;
  let wake: (() => void) | undefined;
  // A kick while a pass runs: that pass may have read before the new records committed, so
  // another pass follows at once instead of the records waiting for the next tick.
  let kicked = false;
  let lastError: string | undefined;
  const listeners = new Set<(error: string | undefined) => void>();
  const setLastError = (error: string | undefined) => {
    if (error === lastError) return;
    lastError = error;
    for (const listener of listeners) listener(error);
  };

  async function relayOnce(): Promise<number> {
    return db.transaction().execute(async (trx) => {
      // Claimed, marked relayed and their batches marked processing in one statement (one round
      // trip, not three): the marks commit only with the publish, so a failure leaves them received.
      const { rows } = await sql<StoredRecordRow>`
        with picked as (
          select id from records
          where status = 'received' and batch_id is not null
          order by received_at, id
          limit ${batchSize}
          for update skip locked),
        marked as (
          update records r set status = 'relayed', relayed_at = now()
          from picked where r.id = picked.id
          returning r.id, r.batch_id, r.source, r.external_id, r.payload, r.received_at),
        batches_started as (
          update batches set status = 'processing', updated_at = now()
          where id in (select batch_id from marked) and status = 'received')
        select * from marked order by received_at, id`.execute(trx);
      if (rows.length === 0) return 0;
      await bus.publish(rows.map(busMessageOfRecord));
      return rows.length;
    });
  }

  const loop = (async () => {
    while (!stopped) {
      let relayed = 0;
      kicked = false;
      try {
        relayed = await relayOnce();
        setLastError(undefined);
      } catch (error) {
        setLastError(String(error));
      }
      // A failing pass keeps its slower pace even when kicked: an outage is not retried per submission.
      if (relayed === batchSize || (kicked && !lastError) || stopped) continue;
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
    onFailureChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    kick: () => {
      kicked = true;
      wake?.();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
    backlog: async () => {
      const row = await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', '=', 'received')
        .where('batch_id', 'is not', null)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
