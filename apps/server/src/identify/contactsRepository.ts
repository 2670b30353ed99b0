import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '@nexus/actors';
import type { ContactPrecedence, Database } from '@nexus/schema';

/** A contact as the identify service works with it (not the table row: no key columns leak out). */
export interface ContactRow {
  id: number;
  email: string | null;
  phoneNumber: string | null;
  emailKey: string | null;
  phoneKey: string | null;
  linkedId: number | null;
  linkPrecedence: ContactPrecedence;
  createdAt: Date;
}

const columns = [
  'c.id',
  'c.email',
  'c.phone_number as phoneNumber',
  'c.email_key as emailKey',
  'c.phone_key as phoneKey',
  'c.linked_id as linkedId',
  'c.link_precedence as linkPrecedence',
  'c.created_at as createdAt',
] as const;

/** The primary of a contact's family: itself, or the one it links to (families are flat). */
export const primaryOf = (c: Pick<ContactRow, 'id' | 'linkedId'>): number => c.linkedId ?? c.id;

/** Primaries first, then in order of creation. */
function familyOrder(rows: ContactRow[]): ContactRow[] {
  return rows.sort(
    (a, b) =>
      Number(a.linkedId !== null) - Number(b.linkedId !== null) ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      a.id - b.id,
  );
}

/**
 * Every live contact of the families whose primaries `primaries` selects, in ONE statement (one
 * snapshot: a family joined meanwhile is seen either before or after, never half). The primaries
 * and their secondaries are read apart and put together (UNION ALL), each through its index: an
 * `id in (...) or linked_id in (...)` reads the whole table.
 */
async function familiesOf(
  db: Db,
  primaries: (db: Db) => SelectQueryBuilder<Database, 'contacts', { primary_id: number }>,
  withDeleted = false,
): Promise<ContactRow[]> {
  const rows = await db
    .with('p', () => primaries(db))
    .selectFrom('contacts as c')
    .innerJoin('p', 'p.primary_id', 'c.id')
    .select(columns)
    .$if(!withDeleted, (q) => q.where('c.deleted_at', 'is', null))
    .unionAll((eb) =>
      eb
        .selectFrom('contacts as c')
        .innerJoin('p', 'p.primary_id', 'c.linked_id')
        .select(columns)
        .$if(!withDeleted, (q) => q.where('c.deleted_at', 'is', null)),
    )
    .execute();
  return familyOrder(rows);
}

/** Every live contact of every family that holds the email key or the phone key. */
export async function familiesHolding(
  db: Db,
  keys: { emailKey: string | null; phoneKey: string | null },
): Promise<ContactRow[]> {
  return familiesOf(db, (d) =>
    d
      .selectFrom('contacts')
      .select(sql<number>`coalesce(linked_id, id)`.as('primary_id'))
      .distinct()
      .where('deleted_at', 'is', null)
      .where((eb) =>
        eb.or([
          ...(keys.emailKey === null ? [] : [eb('email_key', '=', keys.emailKey)]),
          ...(keys.phoneKey === null ? [] : [eb('phone_key', '=', keys.phoneKey)]),
        ]),
      ),
  );
}

/** A family by any of its contacts' ids: its primary first, then in order of creation. */
export async function familyOf(db: Db, contactId: number, withDeleted = false): Promise<ContactRow[]> {
  return familiesOf(
    db,
    (d) =>
      d
        .selectFrom('contacts')
        .select(sql<number>`coalesce(linked_id, id)`.as('primary_id'))
        .where('id', '=', contactId),
    withDeleted,
  );
}
