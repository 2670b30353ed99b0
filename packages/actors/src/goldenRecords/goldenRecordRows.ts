import { sql } from 'kysely';
import type { Db } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import { sealPersonal } from '../privacy/personalFields';

/**
 * The one id scheme of golden records, whoever founds them (engine, reviewer, split, batch job):
 * time-ordered, so a tie between two candidates goes to the older golden record (timeOrderedId.ts).
 */
export const newGoldenId = (): string => timeOrderedId();

export interface GoldenRow {
  id: string;
  status: 'active' | 'merged' | 'erased';
  merged_into: string | null;
  best: Record<string, unknown>;
  member_count: number;
  version: number;
  created_at: Date;
}

/** How many merges the walk follows before it gives up (a cycle would be a bug; this bounds it). */
export const MAX_MERGE_HOPS = 20;

const COLUMNS = ['id', 'status', 'merged_into', 'best', 'member_count', 'version', 'created_at'] as const;

/**
 * Locks golden record rows FOR UPDATE in id order, so two transactions locking overlapping sets
 * never wait on each other in a cycle. Returns those that exist, by id.
 */
export async function lockGoldenRows(trx: Db, ids: readonly string[]): Promise<Map<string, GoldenRow>> {
  if (ids.length === 0) return new Map();
  const rows = await trx
    .selectFrom('golden_records')
    .select(COLUMNS)
    .where('id', 'in', [...new Set(ids)])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The one merged_into walk: from a (possibly merged) golden record to the one that holds its
 * members now. With `lock`, every row on the way is locked FOR UPDATE (a decision about to write).
 * Returns the last row reached (still `merged` only when the chain is longer than MAX_MERGE_HOPS),
 * or undefined when an id on the way does not exist.
 */
export async function followMerged(
  db: Db,
  goldenId: string,
  { lock = false }: { lock?: boolean } = {},
): Promise<GoldenRow | undefined> {
  const read = async (id: string) => {
    const q = db.selectFrom('golden_records').select(COLUMNS).where('id', '=', id);
    return await (lock ? q.forUpdate() : q).executeTakeFirst();
  };
  let row = await read(goldenId);
  for (let hops = 0; row?.status === 'merged' && row.merged_into !== null && hops < MAX_MERGE_HOPS; hops++) {
    row = await read(row.merged_into);
  }
  return row;
}

/**
 * Closes golden records that no longer hold anyone: merged into a survivor (their best values stay,
 * as of that day) or erased (their values go). Tombstones keep the id, so old references resolve.
 */
export async function retireGoldenRecords(
  trx: Db,
  ids: readonly string[],
  to: { status: 'merged'; into: string } | { status: 'erased' },
): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('golden_records')
    .set({
      status: to.status,
      ...(to.status === 'merged' ? { merged_into: to.into } : { best: JSON.stringify({}) as never }),
      member_count: 0,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', 'in', [...ids])
    .execute();
}

/**
 * Empties the best values of golden records closed earlier (a merge's tombstone keeps the values
 * of its day): an erasure removes the person from them too. Status and merged_into stay, so old
 * references still resolve.
 */
export async function clearBestValues(trx: Db, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('golden_records')
    .set({ best: JSON.stringify({}) as never, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', 'in', [...ids])
    .execute();
}

/** Best values as stored: personal identifiers sealed (encryption at rest, ADR 0049). */
export const storedBest = (best: Record<string, unknown>) => JSON.stringify(sealPersonal(best)) as never;
