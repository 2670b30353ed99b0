import { sql } from 'kysely';
import { canonicalRecordSchema, partitionKey, type RawRecordMessage, required } from '@nexus/schema';
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
  let lastError: string | undefined;
  const listeners = new Set<(error: string | undefined) => void>();
  const setLastError = (error: string | undefined) => {
    if (error === lastError) return;
    lastError = error;
    for (const listener of listeners) listener(error);
  };

  async function relayOnce(): Promise<number> {
    return db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('records')
        .select(['id', 'batch_id', 'source', 'external_id', 'payload', 'received_at'])
        .where('status', '=', 'received')
        .where('batch_id', 'is not', null)
        .orderBy('received_at')
        .orderBy('id')
        .limit(batchSize)
        .forUpdate()
        .skipLocked()
        .execute();
      if (rows.length === 0) return 0;
      const messages = rows.map(busMessageOfRecord);
      await bus.publish(messages);
      const ids = rows.map((r) => r.id);
      await trx
        .updateTable('records')
        .set({ status: 'relayed', relayed_at: sql`now()` })
        .where('id', 'in', ids)
        .where('status', '=', 'received')
        .execute();
      const batchIds = [
        ...new Set(rows.map((r) => required(r.batch_id, `relay: batch_id of record ${r.id}`))),
      ];
      await trx
        .updateTable('batches')
        .set({ status: 'processing', updated_at: sql`now()` })
        .where('id', 'in', batchIds)
        .where('status', '=', 'received')
        .execute();
      return rows.length;
    });
  }

  const loop = (async () => {
    while (!stopped) {
      let relayed = 0;
      try {
        relayed = await relayOnce();
        setLastError(undefined);
      } catch (error) {
        setLastError(String(error));
      }
      if (relayed === batchSize || stopped) continue;
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
    kick: () => wake?.(),
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
