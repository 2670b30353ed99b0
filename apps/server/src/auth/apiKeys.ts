import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { Principal } from './roles';
import { newOpaqueCredential, parseOpaqueCredential, sameHash } from './secrets';

export const API_KEY_PREFIX = 'nxk_';

/** A new API key for a (service) account; the key is shown once, only its hash is kept. */
export async function createApiKey(db: Db, userId: string): Promise<string> {
  const credential = newOpaqueCredential(API_KEY_PREFIX);
  await db
    .insertInto('api_keys')
    .values({ id: credential.id, user_id: userId, key_hash: credential.hash })
    .execute();
  return credential.token;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The account behind an API key (and the key's id), if the key is valid, not revoked, and its account enabled. */
export async function principalForApiKey(
  db: Db,
  key: string,
): Promise<{ principal: Principal; keyId: string } | undefined> {
  const parsed = parseOpaqueCredential(API_KEY_PREFIX, key);
  if (!parsed) return undefined;
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('users as u', 'u.id', 'k.user_id')
    .select(['k.key_hash', 'u.id', 'u.username', 'u.role', 'u.kind'])
    .where('k.id', '=', parsed.id)
    .where('k.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row || !sameHash(parsed.secret, row.key_hash)) return undefined;
  // At most one write a minute per key, not one per request.
  await db
    .updateTable('api_keys')
    .set({ last_used_at: sql`now()` })
    .where('id', '=', parsed.id)
    .where((eb) =>
      eb.or([
        eb('last_used_at', 'is', null),
        eb('last_used_at', '<', sql<Date>`now() - interval '1 minute'`),
      ]),
    )
    .execute();
  return {
    principal: { userId: row.id, username: row.username, role: row.role, kind: row.kind, via: 'api_key' },
    keyId: parsed.id,
  };
}

/** The keys of an account, newest first (their secrets are not kept, so never shown again). */
export function listApiKeys(db: Db, userId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

/** Revokes one key of the account; answers false when it has no such key, or it was revoked already. */
export async function revokeApiKey(db: Db, userId: string, keyId: string): Promise<boolean> {
  const revoked = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', keyId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return revoked.length === 1;
}
