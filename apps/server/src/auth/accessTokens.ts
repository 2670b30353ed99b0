import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { USER_ROLES, type UserRole } from '@nexus/schema';

export interface AccessTokenSettings {
  secret: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export interface AccessClaims {
  userId: string;
  username: string;
  role: UserRole;
  /** The sign-in session (refresh token family) the token belongs to: revoking it ends the token too. */
  sessionId?: string;
}

export type VerifiedToken =
  | { ok: true; claims: AccessClaims; /** ms since the epoch */ expiresAt: number }
  | { ok: false; reason: string };

/** How far ahead of this server's clock a token's iat or nbf may be (another replica's clock). */
const CLOCK_SKEW_SECONDS = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Short-lived JWT access tokens: HS256 only, with issuer, audience and expiry always checked. A
 * token must carry exp and iat, must not claim to be issued in the future, and must not live
 * longer than NEXUS_ACCESS_TOKEN_TTL: a token without an end is no short-lived token.
 */
export class AccessTokens {
  constructor(private readonly s: AccessTokenSettings) {}

  get ttlSeconds(): number {
    return this.s.ttlSeconds;
  }

  sign(claims: AccessClaims): string {
    const sid = claims.sessionId === undefined ? {} : { sid: claims.sessionId };
    return jwt.sign({ typ: 'access', name: claims.username, role: claims.role, ...sid }, this.s.secret, {
      algorithm: 'HS256',
      issuer: this.s.issuer,
      audience: this.s.audience,
      subject: claims.userId,
      expiresIn: this.s.ttlSeconds,
      jwtid: randomUUID(),
    });
  }

  verify(token: string, now = Date.now()): VerifiedToken {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.s.secret, {
        algorithms: ['HS256'],
        issuer: this.s.issuer,
        audience: this.s.audience,
        clockTimestamp: Math.floor(now / 1000),
        clockTolerance: 0,
      });
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof Error ? `${error.name}: ${error.message}` : 'invalid token',
      };
    }
    if (typeof payload === 'string' || payload.typ !== 'access')
      return { ok: false, reason: 'not an access token' };
    const { sub, name, role, exp, iat, nbf, sid } = payload as jwt.JwtPayload & {
      name?: unknown;
      role?: unknown;
      sid?: unknown;
    };
    if (typeof sub !== 'string' || typeof name !== 'string' || !USER_ROLES.includes(role as UserRole)) {
      return { ok: false, reason: 'malformed claims' };
    }
    if (typeof exp !== 'number') return { ok: false, reason: 'no expiry (exp)' };
    const lifetime = this.lifetimeProblem(exp, iat, nbf, now);
    if (lifetime) return { ok: false, reason: lifetime };
    if (sid !== undefined && (typeof sid !== 'string' || !UUID.test(sid)))
      return { ok: false, reason: 'malformed claims' };
    return {
      ok: true,
      claims: { userId: sub, username: name, role: role as UserRole, ...(sid ? { sessionId: sid } : {}) },
      expiresAt: exp * 1000,
    };
  }

  private lifetimeProblem(exp: number, iat: unknown, nbf: unknown, now: number): string | null {
    const nowSeconds = Math.floor(now / 1000);
    if (typeof iat !== 'number') return 'no issue time (iat)';
    if (iat > nowSeconds + CLOCK_SKEW_SECONDS) return 'issued in the future (iat)';
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > nowSeconds + CLOCK_SKEW_SECONDS))
      return 'not valid yet (nbf)';
    if (exp <= iat || exp - iat > this.s.ttlSeconds) return 'lives longer than NEXUS_ACCESS_TOKEN_TTL';
    return null;
  }
}
