import { randomBytes } from 'node:crypto';
import type { Db } from '@nexus/actors';
import { isSealed, openSecret, sealSecret } from './sealedSecret';
import { ServerSecretKeyError, type ServerSecretKey } from './serverSecretKey';

const NAME = 'jwt_signing_key';

/**
 * The HS256 key of access tokens when NEXUS_JWT_SECRET is not set: one generated on the first
 * start and kept in the database sealed under the server's secret key (serverSecretKey.ts), so
 * restarts and every server process sign and verify alike while a reader of the database cannot
 * forge tokens. A plaintext key from before is sealed on the first start that finds it.
 */
export async function resolveSigningKey(db: Db, secretKey: ServerSecretKey): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name: NAME, value: sealSecret(secretKey.key, NAME, randomBytes(48).toString('base64url')) })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('server_secrets')
    .select('value')
    .where('name', '=', NAME)
    .executeTakeFirstOrThrow();
  if (!isSealed(row.value)) {
    // Only if it is still that plaintext: two servers starting at once seal it once.
    await db
      .updateTable('server_secrets')
      .set({ value: sealSecret(secretKey.key, NAME, row.value) })
      .where('name', '=', NAME)
      .where('value', '=', row.value)
      .execute();
    return resolveSigningKey(db, secretKey);
  }
  const key = openSecret(secretKey.key, NAME, row.value);
  if (key === undefined) {
    throw new ServerSecretKeyError(
      `the JWT signing key in the database was sealed with another secret key than ${secretKey.source}: ` +
        `give every server the same NEXUS_SECRET_KEY (or the same data folder secret-key file)`,
    );
  }
  return key;
}
