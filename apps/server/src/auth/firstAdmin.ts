import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { addUser } from '../users/usersService';

/**
 * On a database with no users, creates `admin` with NEXUS_ADMIN_PASSWORD, or a random password
 * that is returned so the caller prints it once. Safe when several processes start together.
 */
export async function ensureFirstAdmin(
  db: Db,
  configuredPassword: string | undefined,
): Promise<{ created: false } | { created: true; username: string; generatedPassword?: string }> {
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('nexus:first-admin'))`.execute(trx);
    const any = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
    if (any) return { created: false as const };
    const added = await addUser(
      trx,
      { username: 'admin', role: 'admin', password: configuredPassword },
      'system',
    );
    return {
      created: true as const,
      username: added.user.username,
      generatedPassword: added.generatedPassword,
    };
  });
}
