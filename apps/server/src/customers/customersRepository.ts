import { sql } from 'kysely';
import { canonicalRecordSchema } from '@nexus/schema';
import { blockingKeyLockIds, survivingValues, type Db } from '@nexus/actors';
import { CustomerError } from './customerErrors';

export interface MemberRow {
  record_id: string;
  golden_id: string;
  precedence: 'primary' | 'secondary';
  linked_at: Date;
  payload: Record<string, unknown>;
}

/** Members oldest first (the primary first, when the data is consistent). */
export async function membersOf(trx: Db, goldenIds: readonly string[]): Promise<MemberRow[]> {
  if (goldenIds.length === 0) return [];
  return trx
    .selectFrom('golden_record_members as m')
    .innerJoin('records as r', 'r.id', 'm.record_id')
    .select(['m.record_id', 'm.golden_id', 'm.precedence', 'm.linked_at', 'r.payload'])
    .where('m.golden_id', 'in', goldenIds)
    .orderBy('m.linked_at')
    .orderBy('m.record_id')
    .execute();
}

/**
 * Takes the deciders' advisory locks on every blocking key of these records, in the deciders'
 * global order: an engine decision that could link to one of their golden records either
 * finishes first or reads its candidates after this transaction commits (invariant 3).
 */
export async function lockKeysOfRecords(trx: Db, recordIds: readonly string[]): Promise<void> {
  if (recordIds.length === 0) return;
  const keys = await trx
    .selectFrom('blocking_keys')
    .select('key')
    .where('record_id', 'in', recordIds)
    .execute();
  const pairs = blockingKeyLockIds(keys.map((k) => k.key));
  if (pairs.length === 0) return;
  const hi = pairs.map((p) => p[0]);
  const lo = pairs.map((p) => p[1]);
  await sql`select pg_advisory_xact_lock(h, l) from unnest(${hi}::int4[], ${lo}::int4[]) as t(h, l)`.execute(
    trx,
  );
}

/** Locks golden records (in id order, so two callers never wait on each other in a cycle); all must be active. */
export async function lockActiveGoldenRecords(trx: Db, ids: readonly string[]) {
  const rows = await trx
    .selectFrom('golden_records')
    .select(['id', 'status', 'merged_into', 'best', 'member_count', 'version', 'created_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const id of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
    if (row.status !== 'active') {
      throw new CustomerError(
        'CUSTOMER.NOT_ACTIVE',
        `customer ${id} was merged into ${row.merged_into ?? 'another'}`,
      );
    }
  }
  return new Map(rows.map((r) => [r.id, r]));
}

/** Survivorship over the given members. */
export function bestOf(members: readonly MemberRow[]): Record<string, string> {
  return survivingValues(
    members.map((m) => ({ record: canonicalRecordSchema.parse(m.payload), linkedAt: m.linked_at })),
  );
}

/** The oldest member becomes the primary, the rest secondary (demote first: one primary per golden record). */
export async function settlePrimary(trx: Db, goldenId: string, members: readonly MemberRow[]): Promise<void> {
  const oldest = members[0];
  if (!oldest) return;
  await trx
    .updateTable('golden_record_members')
    .set({ precedence: 'secondary' })
    .where('golden_id', '=', goldenId)
    .where('precedence', '=', 'primary')
    .where('record_id', '<>', oldest.record_id)
    .execute();
  await trx
    .updateTable('golden_record_members')
    .set({ precedence: 'primary' })
    .where('record_id', '=', oldest.record_id)
    .execute();
}

/** Follows merged_into to the active golden record a (possibly merged) id now lives in. */
export async function activeGoldenId(db: Db, id: string): Promise<string> {
  let current = id;
  for (let hops = 0; hops < 20; hops++) {
    const row = await db
      .selectFrom('golden_records')
      .select(['status', 'merged_into'])
      .where('id', '=', current)
      .executeTakeFirst();
    if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
    if (row.status === 'active' || !row.merged_into) return current;
    current = row.merged_into;
  }
  throw new CustomerError('CUSTOMER.NOT_ACTIVE', `customer ${id} was merged too many times to follow`);
}
