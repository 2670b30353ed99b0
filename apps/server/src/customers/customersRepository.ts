import { followMerged, lockGoldenRows, MAX_MERGE_HOPS, type Db, type GoldenRow } from '@nexus/actors';
import { CustomerError } from './customerErrors';

/**
 * The golden-record module's locks and walk (packages/actors/src/goldenRecords), answered in the
 * customer's words: a customer that does not exist or is no longer active is a CustomerError.
 */

/** Locks golden records (in id order, so two callers never wait on each other in a cycle); all must be active. */
export async function lockActiveGoldenRecords(
  trx: Db,
  ids: readonly string[],
): Promise<Map<string, GoldenRow>> {
  const rows = await lockGoldenRows(trx, ids);
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
    if (row.status !== 'active') {
      throw new CustomerError(
        'CUSTOMER.NOT_ACTIVE',
        `customer ${id} was merged into ${row.merged_into ?? 'another'}`,
      );
    }
  }
  return rows;
}

/** Follows merged_into to the golden record a (possibly merged) id now lives in. */
export async function activeGoldenId(db: Db, id: string): Promise<string> {
  const row = await followMerged(db, id);
  if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
  if (row.status === 'merged' && row.merged_into !== null) {
    throw new CustomerError(
      'CUSTOMER.NOT_ACTIVE',
      `customer ${id} was merged more than ${MAX_MERGE_HOPS} times to follow`,
    );
  }
  return row.id;
}
