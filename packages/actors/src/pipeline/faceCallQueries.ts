import { sql } from 'kysely';
import { PENDING_RECORD_STATUSES } from '@nexus/schema';
import type { Db } from '../db/database';

/**
 * The two reads that Tech5 calls sent ahead of a decision need, for the calls sent ahead of one
 * record (prefetchingBiometrics.ts) and for a micro-batch's waves (batch/batchFaces.ts) alike.
 */

/** Of these records, those decided already: a redelivery skips Tech5. */
export async function decidedAlready(db: Db, recordIds: readonly string[]): Promise<Set<string>> {
  if (recordIds.length === 0) return new Set();
  const { rows } = await sql<{ id: string }>`
    select id::text as id from records
    where id = any(${recordIds}::uuid[])
      and status is not null and status <> all(${[...PENDING_RECORD_STATUSES]}::text[])`.execute(db);
  return new Set(rows.map((r) => r.id));
}

/** Faces enrolled (enrolled_at) before this time were in ABIS when a search sent after it ran. */
export async function databaseNow(db: Db): Promise<Date> {
  const { rows } = await sql<{ now: Date }>`select clock_timestamp() as now`.execute(db);
  const now = rows[0]?.now;
  if (now === undefined) throw new Error('select clock_timestamp() returned no row');
  return now;
}
