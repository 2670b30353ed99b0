import type { Insertable } from 'kysely';
import type { UserRow, UsersTable } from '@nexus/schema';
import type { Db } from '@nexus/actors';

export function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['username']), '=', username.toLowerCase()))
    .executeTakeFirst();
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Db, row: Insertable<UsersTable>): Promise<boolean> {
  // The unique index is on lower(username), so conflict handling names no column.
  const inserted = await db
    .insertInto('users')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  return inserted.length === 1;
}

export function listUsers(db: Db): Promise<UserRow[]> {
  return db.selectFrom('users').selectAll().orderBy('created_at').orderBy('username').execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function disableUser(db: Db, id: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled_at: new Date() })
    .where('id', '=', id)
    .where('disabled_at', 'is', null)
    .execute();
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function setPasswordHash(db: Db, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}
