import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { MaskedField, RevealInput } from '@nexus/schema';
import { CustomerError } from '../customers/customerErrors';
import { IngestError } from '../ingest/errors';
import { recordAccess, type AccessContext } from './accessRecords';

/** A field's value as received (a record) or as the golden record keeps it (its best values). */
export async function revealField(
  db: Db,
  target: { recordId?: string | undefined; customerId?: string | undefined; field: MaskedField },
): Promise<{ value: string | null; customerIds: string[] }> {
  if (target.recordId) {
    const row = await db
      .selectFrom('records as r')
      .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select([sql<string | null>`r.payload->>${target.field}`.as('value'), 'm.golden_id'])
      .where('r.id', '=', target.recordId)
      .executeTakeFirst();
    if (!row) throw new IngestError('RECORD.NOT_FOUND', `no record ${target.recordId}`);
    return { value: row.value, customerIds: row.golden_id ? [row.golden_id] : [] };
  }
  const id = target.customerId!;
  const row = await db
    .selectFrom('golden_records')
    .select(sql<string | null>`best->>${target.field}`.as('value'))
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new CustomerError('CUSTOMER.NOT_FOUND', `no customer ${id}`);
  return { value: row.value, customerIds: [id] };
}

/**
 * One masked value in full, for tRPC `access.reveal` and `POST /api/v1/reveals` alike: recorded as
 * a read of its own (`access.reveal.<field>`: who, which record or golden record, when, why)
 * before the value leaves.
 */
export async function revealAndRecord(
  ctx: AccessContext,
  input: RevealInput,
): Promise<{ field: MaskedField; value: string | null }> {
  const revealed = await revealField(ctx.deps.db, input);
  await recordAccess(ctx, {
    action: `access.reveal.${input.field}`,
    subjectType: 'reveal',
    subjectId: input.recordId ?? input.customerId!,
    customerIds: revealed.customerIds,
    recordIds: input.recordId ? [input.recordId] : [],
    reason: input.reason,
  });
  return { field: input.field, value: revealed.value };
}
