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

/** The same, for an INSERT ... RETURNING (which has no alias). */
const returned = [
  'id',
  'email',
  'phone_number as phoneNumber',
  'email_key as emailKey',
  'phone_key as phoneKey',
  'linked_id as linkedId',
  'link_precedence as linkPrecedence',
  'created_at as createdAt',
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

/**
 * Transaction-scoped advisory locks on the normalised values a request brings, in one global order
 * (so two requests never wait on each other in a cycle): simultaneous first sightings of one value
 * queue here, and the second finds what the first created. The single-bigint lock space is apart
 * from the engine's (int4, int4) blocking key locks.
 */
export async function lockContactValues(trx: Db, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await sql`
    select pg_advisory_xact_lock(h)
    from (select distinct hashtextextended(k, 29) as h from unnest(${[...keys]}::text[]) as t(k)) as locks
    order by h
  `.execute(trx);
}

/** Row locks on family primaries; what comes back is their state after any writer ahead committed. */
export async function lockPrimaries(
  trx: Db,
  ids: readonly number[],
): Promise<Array<{ id: number; linkedId: number | null }>> {
  if (ids.length === 0) return [];
  return trx
    .selectFrom('contacts')
    .select(['id', 'linked_id as linkedId'])
    .where('id', 'in', [...ids])
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function insertContact(
  trx: Db,
  values: {
    email: string | null;
    phoneNumber: string | null;
    emailKey: string | null;
    phoneKey: string | null;
    linkedId: number | null;
  },
): Promise<ContactRow> {
  return trx
    .insertInto('contacts')
    .values({
      email: values.email,
      phone_number: values.phoneNumber,
      email_key: values.emailKey,
      phone_key: values.phoneKey,
      linked_id: values.linkedId,
      link_precedence: values.linkedId === null ? 'primary' : 'secondary',
    })
    .returning(returned)
    .executeTakeFirstOrThrow();
}

/** Makes a primary and its whole family secondaries of another primary; returns the ids moved. */
export async function demoteFamily(trx: Db, from: number, into: number): Promise<number[]> {
  const moved = await trx
    .updateTable('contacts')
    .set({ linked_id: into, link_precedence: 'secondary', updated_at: sql`clock_timestamp()` })
    .where((eb) => eb.or([eb('id', '=', from), eb('linked_id', '=', from)]))
    .returning('id')
    .execute();
  return moved.map((r) => r.id).sort((a, b) => a - b);
}
