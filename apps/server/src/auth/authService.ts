import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { inTransaction } from '../db/transactions';
import { findUserById, findUserByUsername, setPasswordHash } from '../users/usersRepository';
import type { AccessTokens } from './accessTokens';
import { looksLikeApiKey, principalForApiKey } from './apiKeys';
import { AuthError, InvalidCredentialsError } from './authErrors';
import { hashPassword, spendOneHash, verifyPassword } from './passwords';
import { issueRefreshToken, revokeOtherSessions, rotateRefreshToken } from './refreshTokens';
import type { Principal } from './roles';

export interface AuthDeps {
  db: Db;
  tokens: AccessTokens;
  refreshTtlSeconds: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export const MIN_PASSWORD_LENGTH = 8;

/** Signs a person in with username and password; the same answer for every kind of failure. */
export async function login(
  deps: AuthDeps,
  input: { username: string; password: string },
): Promise<TokenPair> {
  const user = await findUserByUsername(deps.db, input.username);
  const usableHash = user?.kind === 'person' && user.disabled_at === null ? user.password_hash : null;
  const ok =
    usableHash !== null
      ? await verifyPassword(input.password, usableHash)
      : (await spendOneHash(input.password), false);
  if (!ok || !user) throw new InvalidCredentialsError(user !== undefined);
  await deps.db
    .updateTable('users')
    .set({ last_login_at: sql`now()` })
    .where('id', '=', user.id)
    .execute();
  const sessionId = randomUUID();
  return {
    accessToken: deps.tokens.sign({ userId: user.id, username: user.username, role: user.role, sessionId }),
    refreshToken: await issueRefreshToken(deps.db, user.id, deps.refreshTtlSeconds, sessionId),
    expiresIn: deps.tokens.ttlSeconds,
  };
}

/** A new access token for a refresh token, which is spent and replaced (rotation). */
export async function refresh(deps: AuthDeps, presented: string): Promise<TokenPair> {
  const { userId, refreshToken, familyId } = await rotateRefreshToken(
    deps.db,
    presented,
    deps.refreshTtlSeconds,
  );
  const user = await findUserById(deps.db, userId);
  if (!user || user.disabled_at !== null) {
    throw new AuthError('AUTH.REFRESH_INVALID', 'the account is disabled: sign in again');
  }
  return {
    accessToken: deps.tokens.sign({
      userId: user.id,
      username: user.username,
      role: user.role,
      sessionId: familyId,
    }),
    refreshToken,
    expiresIn: deps.tokens.ttlSeconds,
  };
}

export type Authentication =
  | {
      principal: Principal;
      /** Access tokens only: when it expires (ms since the epoch) and its sign-in session. */
      token?: { expiresAt: number; sessionId: string | undefined };
      /** API keys only: the key's id (revoking it ends the connections it opened). */
      apiKeyId?: string;
    }
  | { principal: null; failure?: string };

/**
 * The principal behind a bearer credential (access token or API key). The account is read on
 * every call, so disabling a user or changing a role takes effect at once, not at token expiry;
 * so is the token's sign-in session, so signing out or changing the password ends it at once too.
 */
export async function authenticate(deps: AuthDeps, bearer: string | undefined): Promise<Authentication> {
  if (!bearer) return { principal: null };
  if (looksLikeApiKey(bearer)) {
    const found = await principalForApiKey(deps.db, bearer);
    return found
      ? { principal: found.principal, apiKeyId: found.keyId }
      : { principal: null, failure: 'unknown, revoked or disabled API key' };
  }
  const verified = deps.tokens.verify(bearer);
  if (!verified.ok) return { principal: null, failure: verified.reason };
  const { sessionId } = verified.claims;
  const user = await deps.db
    .selectFrom('users as u')
    .select(['u.id', 'u.username', 'u.role', 'u.kind', 'u.disabled_at'])
    .select((eb) =>
      sessionId === undefined
        ? sql<boolean>`true`.as('session_live')
        : eb
            .exists(
              eb
                .selectFrom('refresh_tokens as r')
                .select('r.id')
                .whereRef('r.user_id', '=', 'u.id')
                .where('r.family_id', '=', sessionId)
                .where('r.revoked_at', 'is', null),
            )
            .as('session_live'),
    )
    .where('u.id', '=', verified.claims.userId)
    .executeTakeFirst();
  if (!user || user.disabled_at !== null) return { principal: null, failure: 'account unknown or disabled' };
  if (!user.session_live) return { principal: null, failure: 'signed out (session revoked)' };
  return {
    token: { expiresAt: verified.expiresAt, sessionId },
    principal: {
      userId: user.id,
      username: user.username,
      role: user.role,
      kind: user.kind,
      via: 'access_token',
    },
  };
}

/** `Bearer TOKEN` from an Authorization header value. */
export function bearerToken(header: string | undefined | null): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * A new password for the signed-in person. Every other sign-in session of the account ends (its
 * refresh tokens are revoked, its access tokens refused from now on): whoever else knew the old
 * password is out. The session that asked (`sessionId`) stays signed in.
 */
export async function changePassword(
  deps: AuthDeps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  sessionId: string | undefined,
): Promise<void> {
  const user = await findUserById(deps.db, principal.userId);
  if (!user?.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AuthError('AUTH.INVALID_CREDENTIALS', 'the current password is wrong');
  }
  const hash = await hashPassword(input.newPassword);
  await inTransaction(deps.db, async (trx) => {
    await setPasswordHash(trx, user.id, hash);
    await revokeOtherSessions(trx, user.id, sessionId);
  });
}
