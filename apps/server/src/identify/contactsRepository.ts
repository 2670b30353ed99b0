import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { ContactPrecedence } from '@nexus/schema';

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

/**
 * Every live contact of every family that holds the email key or the phone key, in ONE statement
 * (one snapshot: a family joined meanwhile is seen either before or after, never half), primaries
 * first, then in order of creation.
 */
export async function familiesHolding(
  db: Db,
  keys: { emailKey: string | null; phoneKey: string | null },
): Promise<ContactRow[]> {
  const matches = db
    .selectFrom('contacts')
    .select(sql<number>`coalesce(linked_id, id)`.as('primary_id'))
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(keys.emailKey === null ? [] : [eb('email_key', '=', keys.emailKey)]),
        ...(keys.phoneKey === null ? [] : [eb('phone_key', '=', keys.phoneKey)]),
      ]),
    );
  return db
    .selectFrom('contacts')
    .select(columns)
    .where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('id', 'in', matches), eb('linked_id', 'in', matches)]))
    .orderBy(sql`linked_id is not null`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** A family by any of its contacts' ids: its primary first, then in order of creation. */
export async function familyOf(db: Db, contactId: number, withDeleted = false): Promise<ContactRow[]> {
  const primary = db
    .selectFrom('contacts')
    .select(sql<number>`coalesce(linked_id, id)`.as('primary_id'))
    .where('id', '=', contactId);
  let q = db
    .selectFrom('contacts')
    .select(columns)
    .where((eb) => eb.or([eb('id', 'in', primary), eb('linked_id', 'in', primary)]));
  if (!withDeleted) q = q.where('deleted_at', 'is', null);
  return q
    .orderBy(sql`linked_id is not null`)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
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
    .returning(columns)
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
