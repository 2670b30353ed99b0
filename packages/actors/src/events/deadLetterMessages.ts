import { sql } from 'kysely';
import type { DeadLetterMessage } from '@nexus/schema';
import type { Db } from '../db/database';
import type { EventPublisher } from './eventPublisher';

/**
 * The dead letters of records whose fate was just committed, read back from their rows (ids
 * `dead_letter:<id>`, the same after a redelivery). Events proper (decisions, golden records,
 * cases) are not read here: the database writes them to the outbox with the change itself
 * (migration 2026_12_03_0048_event_stream) and the event relay carries them on.
 */
export async function loadDeadLetters(db: Db, recordIds: readonly string[]): Promise<DeadLetterMessage[]> {
  if (recordIds.length === 0) return [];
  const letters = await sql<{
    id: string;
    record_id: string;
    partition: number;
    bus_offset: string;
    payload: unknown;
    error: string;
    attempts: number;
  }>`
    select d.id, d.record_id, d.partition, d.bus_offset, d.payload, d.error, d.attempts
    from dead_letters d where d.record_id = any(${[...recordIds]}::uuid[]) order by d.id`.execute(db);
  return letters.rows.map((d) => ({
    id: `dead_letter:${d.id}`,
    recordId: d.record_id,
    partition: d.partition,
    offset: Number(d.bus_offset),
    error: d.error,
    attempts: d.attempts,
    message: d.payload,
  }));
}

/**
 * Publishes the dead letters of just-committed records to `nexus.dead-letters`, retrying for
 * about half a minute (a broker restart). Called before the bus position is committed: what is
 * not published is redelivered.
 */
export async function publishDeadLetters(
  db: Db,
  publisher: EventPublisher,
  recordIds: readonly string[],
  options: { attempts?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadLetters = await loadDeadLetters(db, recordIds);
  if (deadLetters.length === 0) return;
  const attempts = options.attempts ?? 3;
  for (let attempt = 1; ; attempt++) {
    try {
      await publisher.publishDeadLetters(deadLetters);
      return;
    } catch (error) {
      if (attempt >= attempts || options.signal?.aborted === true) throw error;
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}
