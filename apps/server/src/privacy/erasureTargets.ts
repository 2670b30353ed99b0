import { sql } from 'kysely';
import { lockKeysOfRecords, type Db } from '@nexus/actors';
import type { ErasureInput } from '@nexus/schema';
import { activeGoldenId } from '../customers/customersRepository';
import { CustomerError } from '../customers/customerErrors';
import { DomainError } from '../errors/domainError';

/** What an erasure removes: these records, out of these golden records. */
export interface ErasureTargets {
  customerId: string | null;
  recordIds: string[];
  goldenIds: string[];
}

/**
 * The records an erasure names: a golden record's members (following a merge to the golden record
 * that holds them now), or the given records, which must exist, be decided and not be erased yet.
 */
export async function resolveTargets(
  db: Db,
  input: Pick<ErasureInput, 'customerId' | 'recordIds'>,
): Promise<ErasureTargets> {
  if (input.customerId !== undefined) {
    const row = await db
      .selectFrom('golden_records')
      .select('status')
      .where('id', '=', input.customerId)
      .executeTakeFirst();
    if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${input.customerId}`);
    if (row.status === 'erased')
      throw new DomainError('ERASURE.CUSTOMER_ERASED', `customer ${input.customerId} is already erased`);
    const goldenId = await activeGoldenId(db, input.customerId);
    const members = await db
      .selectFrom('golden_record_members')
      .select('record_id')
      .where('golden_id', '=', goldenId)
      .execute();
    return { customerId: goldenId, recordIds: members.map((m) => m.record_id).sort(), goldenIds: [goldenId] };
  }
  const ids = [...new Set(input.recordIds ?? [])].sort();
  const rows = await db
    .selectFrom('records as r')
    .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
    .select(['r.id', 'r.status', 'r.erased_at', 'm.golden_id'])
    .where('r.id', 'in', ids)
    .execute();
  const found = new Map(rows.map((r) => [r.id, r]));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0)
    throw new DomainError('ERASURE.RECORD_NOT_FOUND', `no record ${missing.join(', ')}`, {
      fields: missing.map(() => ({ field: 'recordIds', message: 'no such record' })),
    });
  const erased = rows.filter((r) => r.erased_at !== null).map((r) => r.id);
  if (erased.length > 0)
    throw new DomainError('ERASURE.ALREADY_ERASED', `record ${erased.join(', ')} is already erased`);
  // A record on its way through the engine would be decided (and stored again) after the erasure.
  const undecided = rows.filter((r) => r.status === 'received' || r.status === 'relayed').map((r) => r.id);
  if (undecided.length > 0)
    throw new DomainError(
      'ERASURE.RECORD_UNDECIDED',
      `record ${undecided.join(', ')} is not decided yet; erase it once it is (or cancel its batch)`,
    );
  const goldenIds = [...new Set(rows.flatMap((r) => (r.golden_id ? [r.golden_id] : [])))].sort();
  return { customerId: null, recordIds: ids, goldenIds };
}

/**
 * The engine's locks (docs/decisions/0003-deciding-under-blocking-key-locks.md): the blocking keys
 * of every record named and of every member of their golden records, in the deciders' order, then
 * the golden rows in id order. A record deciding now either commits first (and is seen here) or
 * reads its candidates after the erasure commits, when the keys and values are gone. Membership
 * is read again under the locks; a merge that moved it meanwhile means locking again.
 */
export async function lockTargets(
  trx: Db,
  input: Pick<ErasureInput, 'customerId' | 'recordIds'>,
): Promise<ErasureTargets> {
  let targets = await resolveTargets(trx, input);
  for (let round = 0; round < 5; round++) {
    const members = targets.goldenIds.length
      ? await trx
          .selectFrom('golden_record_members')
          .select('record_id')
          .where('golden_id', 'in', targets.goldenIds)
          .execute()
      : [];
    await lockKeysOfRecords(
      trx,
      [...new Set([...targets.recordIds, ...members.map((m) => m.record_id)])].sort(),
    );
    if (targets.goldenIds.length > 0)
      await sql`select id from golden_records where id = any(${targets.goldenIds}::uuid[]) order by id for update`.execute(
        trx,
      );
    const again = await resolveTargets(trx, input);
    if (sameTargets(again, targets)) return again;
    targets = again;
  }
  throw new DomainError('ERASURE.CONFLICT', 'the records kept moving between golden records; try again');
}

const sameTargets = (a: ErasureTargets, b: ErasureTargets) =>
  a.recordIds.join() === b.recordIds.join() && a.goldenIds.join() === b.goldenIds.join();
