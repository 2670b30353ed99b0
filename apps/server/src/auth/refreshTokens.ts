import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { AuthError } from './authErrors';
import { newOpaqueCredential, parseOpaqueCredential, sameHash } from './secrets';

const PREFIX = 'nxr_';

/** A new refresh token for the user; a sign-in starts a family, a refresh continues it. */
export async function issueRefreshToken(
  db: Db,
  userId: string,
  ttlSeconds: number,
  familyId: string = randomUUID(),
): Promise<string> {
  const credential = newOpaqueCredential(PREFIX);
  await db
    .insertInto('refresh_tokens')
    .values({
      id: credential.id,
      user_id: userId,
      family_id: familyId,
      token_hash: credential.hash,
      expires_at: sql<Date>`now() + make_interval(secs => ${ttlSeconds})`,
    })
    .execute();
  return credential.token;
}

/**
 * Spends a refresh token and issues its successor (rotation). A token presented a second time
 * was stolen or replayed: its whole family is revoked, which signs out the thief and the owner.
 */
export async function rotateRefreshToken(
  db: Db,
  presented: string,
  ttlSeconds: number,
): Promise<{ userId: string; refreshToken: string; familyId: string }> {
  const parsed = parseOpaqueCredential(PREFIX, presented);
  const invalid = () =>
    new AuthError(
      'AUTH.REFRESH_INVALID',
      'the refresh token is invalid, expired or already used: sign in again',
    );
  if (!parsed) throw invalid();
  const outcome = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('refresh_tokens')
      .select([
        'user_id',
        'family_id',
        'token_hash',
        'used_at',
        'revoked_at',
        sql<boolean>`expires_at < now()`.as('expired'),
      ])
      .where('id', '=', parsed.id)
      .forUpdate()
      .executeTakeFirst();
    if (!row || !sameHash(parsed.secret, row.token_hash)) return 'invalid' as const;
    if (row.used_at !== null && row.revoked_at === null) {
      await trx
        .updateTable('refresh_tokens')
        .set({ revoked_at: sql`now()` })
        .where('family_id', '=', row.family_id)
        .where('revoked_at', 'is', null)
        .execute();
      return 'invalid' as const;
    }
    if (row.used_at !== null || row.revoked_at !== null || row.expired) return 'invalid' as const;
    await trx
      .updateTable('refresh_tokens')
      .set({ used_at: sql`now()` })
      .where('id', '=', parsed.id)
      .execute();
    const refreshToken = await issueRefreshToken(trx, row.user_id, ttlSeconds, row.family_id);
    return { userId: row.user_id, refreshToken, familyId: row.family_id };
  });
  if (outcome === 'invalid') throw invalid();
  return outcome;
}

/** Ends every sign-in session of the account but `keep` (all of them when it is undefined). */
export async function revokeOtherSessions(db: Db, userId: string, keep: string | undefined): Promise<void> {
  let revoke = db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep !== undefined) revoke = revoke.where('family_id', '<>', keep);
  await revoke.execute();
}

/**
 * Signs a session out: the presented token's whole family is revoked (its access tokens are
 * refused from then on). Unknown tokens are ignored; answers the session ended, if any.
 */
export async function revokeRefreshFamily(db: Db, presented: string): Promise<string | undefined> {
  const parsed = parseOpaqueCredential(PREFIX, presented);
  if (!parsed) return undefined;
  const row = await db
    .selectFrom('refresh_tokens')
    .select(['family_id', 'token_hash'])
    .where('id', '=', parsed.id)
    .executeTakeFirst();
  if (!row || !sameHash(parsed.secret, row.token_hash)) return undefined;
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: sql`now()` })
    .where('family_id', '=', row.family_id)
    .where('revoked_at', 'is', null)
    .execute();
  return row.family_id;
}
