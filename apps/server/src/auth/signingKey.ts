import { randomBytes } from 'node:crypto';
import type { Db } from '@nexus/actors';

const NAME = 'jwt_signing_key';

/**
 * The HS256 key of access tokens: NEXUS_JWT_SECRET when set, else one generated on the first
 * start and kept in the database, so restarts and every server process sign and verify alike.
 */
export async function resolveSigningKey(db: Db, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  await db
    .insertInto('server_secrets')
    .values({ name: NAME, value: randomBytes(48).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', NAME)
    .executeTakeFirstOrThrow();
  return row.value;
}
