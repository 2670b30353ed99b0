import { sql } from 'kysely';
import { murmur2 } from '@nexus/schema';
import type { Db } from '../db/database';

/**
 * Invariant 3: two records of one person, decided at the same moment in different partitions or
 * processes, must not both create a golden record. Each takes a transaction-scoped advisory lock
 * on every one of its blocking keys before it reads candidates, so the second waits for the first
 * to commit and then finds it. Locks are taken in one global order, so waits never form a cycle.
 */
export async function lockBlockingKeys(trx: Db, keys: readonly string[]): Promise<void> {
  const pairs = blockingKeyLockIds(keys);
  if (pairs.length === 0) return;
  const hi = pairs.map((p) => p[0]);
  const lo = pairs.map((p) => p[1]);
  // unnest yields rows in array order and the function scan evaluates them one by one.
  await sql`select pg_advisory_xact_lock(h, l) from unnest(${hi}::int4[], ${lo}::int4[]) as t(h, l)`.execute(
    trx,
  );
}

/** The (int4, int4) advisory lock ids of a record's keys, in the one order they are taken. */
export function blockingKeyLockIds(keys: readonly string[]): Array<readonly [number, number]> {
  return [...new Set(keys)]
    .map((k) => [murmur2(`lock:${k}`), murmur2(`key:${k}`)] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/**
 * The same locks on every blocking key of stored records, for a reviewer's or an erasure's change
 * to their golden records: an engine decision that could link to one of them either finishes
 * first or reads its candidates after this transaction commits (invariant 3).
 */
export async function lockKeysOfRecords(trx: Db, recordIds: readonly string[]): Promise<void> {
  if (recordIds.length === 0) return;
  const keys = await trx
    .selectFrom('blocking_keys')
    .select('key')
    .where('record_id', 'in', [...recordIds])
    .execute();
  await lockBlockingKeys(
    trx,
    keys.map((k) => k.key),
  );
}
