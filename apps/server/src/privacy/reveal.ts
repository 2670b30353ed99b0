import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { MaskedField, RevealInput } from '@nexus/schema';
import { CustomerError } from '../customers/customerErrors';
import { DomainError } from '../errors/domainError';
import { familyOf } from '../identify/contactsRepository';
import { goldenRecordsSharing } from '../identify/sharedGoldenRecords';
import { IngestError } from '../ingest/errors';
import { recordAccess, type AccessContext } from './accessRecords';
import { required } from '@nexus/schema';

/**
 * A live contact's email or phone (as `/identify` was sent it), with the golden records sharing
 * that value: the reveal shows in their people's trails as the contact pages' reads do.
 */
async function revealContactField(
  db: Db,
  contactId: number,
  field: MaskedField,
): Promise<{ value: string | null; customerIds: string[] }> {
  const contact = (await familyOf(db, contactId)).find((c) => c.id === contactId);
  if (!contact) throw new DomainError('CONTACT.NOT_FOUND', `no contact ${contactId}`);
  const phone = field === 'phone';
  const key = phone ? contact.phoneKey : contact.emailKey;
  const shared =
    key === null
      ? []
      : await goldenRecordsSharing(db, { emailKeys: phone ? [] : [key], phoneKeys: phone ? [key] : [] });
  return {
    value: phone ? contact.phoneNumber : contact.email,
    customerIds: [...new Set(shared.map((s) => s.goldenId))],
  };
}

/** A field's value as received (a record), as the golden record keeps it (its best values), or a contact's. */
export async function revealField(
  db: Db,
  target: {
    recordId?: string | undefined;
    customerId?: string | undefined;
    contactId?: number | undefined;
    field: MaskedField;
  },
): Promise<{ value: string | null; customerIds: string[] }> {
  if (target.contactId !== undefined) return revealContactField(db, target.contactId, target.field);
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
  // revealInput asks for exactly one of the three.
  const id = required(target.customerId, 'revealField: the recordId, customerId or contactId to reveal');
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
 * a read of its own (`access.reveal.<field>`: who, which record, golden record or contact, when, why)
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
    subjectId: input.recordId ?? input.customerId ?? String(input.contactId),
    customerIds: revealed.customerIds,
    recordIds: input.recordId ? [input.recordId] : [],
    reason: input.reason,
  });
  return { field: input.field, value: revealed.value };
}
