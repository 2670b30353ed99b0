import { sql } from 'kysely';
import { appendAudit, type Db } from '@nexus/actors';
import { DomainError } from '../errors/domainError';
import { withContactRetry } from './contactRetry';

/**
 * Removing a family (admin): soft delete hides it from `/identify` (its values start a new family
 * when they come again) and keeps the rows; erasure deletes the rows. Both lock the family's
 * primary, as every writer to a family does, and are audited without the values themselves.
 */
export async function deleteContactFamily(
  db: Db,
  contactId: number,
  actor: string,
): Promise<{ deleted: number[] }> {
  return withContactRetry(() =>
    db.transaction().execute(async (trx) => {
      const primary = await lockFamilyPrimary(trx, contactId, false);
      const rows = await trx
        .updateTable('contacts')
        .set({ deleted_at: sql`clock_timestamp()`, updated_at: sql`clock_timestamp()` })
        .where((eb) => eb.or([eb('id', '=', primary), eb('linked_id', '=', primary)]))
        .where('deleted_at', 'is', null)
        .returning('id')
        .execute();
      const deleted = rows.map((r) => r.id).sort((a, b) => a - b);
      await appendAudit(trx, [
        {
          actor,
          action: 'contact.family_deleted',
          entity_type: 'contact',
          entity_id: String(primary),
          record_id: null,
          before: null,
          after: { contactIds: deleted },
        },
      ]);
      return { deleted };
    }),
  );
}

export async function eraseContactFamily(
  db: Db,
  contactId: number,
  reason: string,
  actor: string,
): Promise<{ erased: number[] }> {
  return withContactRetry(() =>
    db.transaction().execute(async (trx) => {
      const primary = await lockFamilyPrimary(trx, contactId, true);
      const rows = await trx
        .deleteFrom('contacts')
        .where((eb) => eb.or([eb('id', '=', primary), eb('linked_id', '=', primary)]))
        .returning('id')
        .execute();
      const erased = rows.map((r) => r.id).sort((a, b) => a - b);
      await appendAudit(trx, [
        {
          actor,
          action: 'contact.family_erased',
          entity_type: 'contact',
          entity_id: String(primary),
          record_id: null,
          before: null,
          after: { contactIds: erased, reason },
        },
      ]);
      return { erased };
    }),
  );
}

/** Locks the primary of a contact's family, following a join that moved it meanwhile. */
async function lockFamilyPrimary(trx: Db, contactId: number, withDeleted: boolean): Promise<number> {
  let id = contactId;
  for (let hop = 0; hop < 16; hop++) {
    let q = trx.selectFrom('contacts').select(['id', 'linked_id as linkedId']).where('id', '=', id);
    if (!withDeleted) q = q.where('deleted_at', 'is', null);
    const row = await q.forUpdate().executeTakeFirst();
    if (!row) throw new DomainError('CONTACT.NOT_FOUND', `no contact ${contactId}`);
    if (row.linkedId === null) return row.id;
    id = row.linkedId;
  }
  throw new Error(`contact ${contactId}: its family kept moving`);
}
