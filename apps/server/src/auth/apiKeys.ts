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

/** `last_used_at` is for people (which key is still in use?): a minute's precision is enough. */
export const LAST_USED_PRECISION_MS = 60_000;
/** Keys this process recorded as used, and when (a verified key only: a made-up one never enters). */
const recordedUse = new Map<string, number>();
const MAX_RECORDED_KEYS = 10_000;

/**
 * Whether this call should write the key's `last_used_at`: once a minute per key and process,
 * so a busy key costs one statement per call (the read), not two.
 */
function mayRecordUse(keyId: string, now: number): boolean {
  const last = recordedUse.get(keyId);
  if (last !== undefined && now - last < LAST_USED_PRECISION_MS) return false;
  if (recordedUse.size >= MAX_RECORDED_KEYS) recordedUse.clear();
  recordedUse.set(keyId, now);
  return true;
}

/**
 * The account behind an API key (and the key's id), if the key is valid, not revoked, and its
 * account enabled: read on every call, so a revocation or a disabled account takes effect at once.
 */
export async function principalForApiKey(
  db: Db,
  key: string,
  now = Date.now(),
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
  if (mayRecordUse(parsed.id, now)) {
    // Other processes (workers, more servers) record too: the database keeps it to one write a minute.
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
  }
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
