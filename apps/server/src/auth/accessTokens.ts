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
}

export type VerifiedToken = { ok: true; claims: AccessClaims } | { ok: false; reason: string };

/** Short-lived JWT access tokens: HS256 only, with issuer, audience and expiry always checked. */
export class AccessTokens {
  constructor(private readonly s: AccessTokenSettings) {}

  get ttlSeconds(): number {
    return this.s.ttlSeconds;
  }

  sign(claims: AccessClaims): string {
    return jwt.sign({ typ: 'access', name: claims.username, role: claims.role }, this.s.secret, {
      algorithm: 'HS256',
      issuer: this.s.issuer,
      audience: this.s.audience,
      subject: claims.userId,
      expiresIn: this.s.ttlSeconds,
      jwtid: randomUUID(),
    });
  }

  verify(token: string): VerifiedToken {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.s.secret, {
        algorithms: ['HS256'],
        issuer: this.s.issuer,
        audience: this.s.audience,
      });
    } catch (error) {
      return {
        ok: false,
        reason: error instanceof Error ? `${error.name}: ${error.message}` : 'invalid token',
      };
    }
    if (typeof payload === 'string' || payload.typ !== 'access')
      return { ok: false, reason: 'not an access token' };
    const { sub, name, role } = payload as jwt.JwtPayload & { name?: unknown; role?: unknown };
    if (typeof sub !== 'string' || typeof name !== 'string' || !USER_ROLES.includes(role as UserRole)) {
      return { ok: false, reason: 'malformed claims' };
    }
    return { ok: true, claims: { userId: sub, username: name, role: role as UserRole } };
  }
}
