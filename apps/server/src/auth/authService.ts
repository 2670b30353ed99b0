import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { findUserById, findUserByUsername, setPasswordHash } from '../users/usersRepository';
import type { AccessTokens } from './accessTokens';
import { looksLikeApiKey, principalForApiKey } from './apiKeys';
import { AuthError } from './authErrors';
import { hashPassword, spendOneHash, verifyPassword } from './passwords';
import { issueRefreshToken, rotateRefreshToken } from './refreshTokens';
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
  const usable = user && user.kind === 'person' && user.disabled_at === null && user.password_hash !== null;
  const ok = usable
    ? await verifyPassword(input.password, user.password_hash!)
    : (await spendOneHash(input.password), false);
  if (!ok || !user) throw new AuthError('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
  await deps.db
    .updateTable('users')
    .set({ last_login_at: sql`now()` })
    .where('id', '=', user.id)
    .execute();
  return {
    accessToken: deps.tokens.sign({ userId: user.id, username: user.username, role: user.role }),
    refreshToken: await issueRefreshToken(deps.db, user.id, deps.refreshTtlSeconds),
    expiresIn: deps.tokens.ttlSeconds,
  };
}

/** A new access token for a refresh token, which is spent and replaced (rotation). */
export async function refresh(deps: AuthDeps, presented: string): Promise<TokenPair> {
  const { userId, refreshToken } = await rotateRefreshToken(deps.db, presented, deps.refreshTtlSeconds);
  const user = await findUserById(deps.db, userId);
  if (!user || user.disabled_at !== null) {
    throw new AuthError('AUTH.REFRESH_INVALID', 'the account is disabled: sign in again');
  }
  return {
    accessToken: deps.tokens.sign({ userId: user.id, username: user.username, role: user.role }),
    refreshToken,
    expiresIn: deps.tokens.ttlSeconds,
  };
}

export type Authentication = { principal: Principal } | { principal: null; failure?: string };

/**
 * The principal behind a bearer credential (access token or API key). The account is read on
 * every call, so disabling a user or changing a role takes effect at once, not at token expiry.
 */
export async function authenticate(deps: AuthDeps, bearer: string | undefined): Promise<Authentication> {
  if (!bearer) return { principal: null };
  if (looksLikeApiKey(bearer)) {
    const principal = await principalForApiKey(deps.db, bearer);
    return principal ? { principal } : { principal: null, failure: 'unknown, revoked or disabled API key' };
  }
  const verified = deps.tokens.verify(bearer);
  if (!verified.ok) return { principal: null, failure: verified.reason };
  const user = await findUserById(deps.db, verified.claims.userId);
  if (!user || user.disabled_at !== null) return { principal: null, failure: 'account unknown or disabled' };
  return {
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

export async function changePassword(
  deps: AuthDeps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
): Promise<void> {
  const user = await findUserById(deps.db, principal.userId);
  if (!user?.password_hash || !(await verifyPassword(input.currentPassword, user.password_hash))) {
    throw new AuthError('AUTH.INVALID_CREDENTIALS', 'the current password is wrong');
  }
  await setPasswordHash(deps.db, user.id, await hashPassword(input.newPassword));
}
