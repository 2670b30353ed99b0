import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { AccessTokens } from './accessTokens';
import { generatePassword, hashPassword, verifyPassword } from './passwords';
import { newOpaqueCredential, parseOpaqueCredential, sameHash } from './secrets';

const settings = { secret: 'x'.repeat(40), issuer: 'nexus', audience: 'nexus-api', ttlSeconds: 60 };

describe('passwords', () => {
  it('hash with scrypt and a salt, verify, and refuse a wrong password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
    expect(generatePassword()).toMatch(/^[\w-]{24}$/);
  });
});

describe('access tokens', () => {
  const tokens = new AccessTokens(settings);
  const claims = {
    userId: '6f1c1a54-55a5-4e8a-9d7a-1f1d2a3b4c5d',
    username: 'ana',
    role: 'reviewer' as const,
  };

  it('round-trip the claims, with the sign-in session and the expiry', () => {
    const now = Date.now();
    const verified = tokens.verify(tokens.sign(claims));
    expect(verified).toMatchObject({ ok: true, claims });
    expect(verified.ok && verified.expiresAt - now).toBeGreaterThan(55_000);
    const sessionId = '0b0e8c5e-6a43-4c2e-9a55-0d6d0b4f3a10';
    expect(tokens.verify(tokens.sign({ ...claims, sessionId }))).toMatchObject({
      ok: true,
      claims: { ...claims, sessionId },
    });
  });

  it('refuse a token without exp or iat, issued in the future, living longer than the TTL, or with a bad session', () => {
    const payload = {
      typ: 'access',
      name: 'ana',
      role: 'reviewer',
      sub: claims.userId,
      iss: 'nexus',
      aud: 'nexus-api',
    };
    const now = Math.floor(Date.now() / 1000);
    const sign = (extra: object, noTimestamp = false) =>
      jwt.sign({ ...payload, ...extra }, settings.secret, { algorithm: 'HS256', noTimestamp });
    const refused = {
      noExp: sign({ iat: now }),
      noIat: sign({ exp: now + 30 }, true),
      future: sign({ iat: now + 3600, exp: now + 3630 }),
      tooLong: sign({ iat: now, exp: now + 61 }),
      endsBeforeStart: sign({ iat: now, exp: now - 1 }),
      notYet: sign({ iat: now, exp: now + 30, nbf: now + 20 }),
      badSession: sign({ iat: now, exp: now + 30, sid: 'not-a-uuid' }),
    };
    const reasons = Object.fromEntries(
      Object.entries(refused).map(([k, t]) => {
        const v = tokens.verify(t);
        return [k, v.ok ? 'accepted' : v.reason];
      }),
    );
    expect(reasons).toEqual({
      noExp: 'no expiry (exp)',
      noIat: 'no issue time (iat)',
      future: 'issued in the future (iat)',
      tooLong: 'lives longer than NEXUS_ACCESS_TOKEN_TTL',
      endsBeforeStart: 'TokenExpiredError: jwt expired',
      notYet: 'NotBeforeError: jwt not active',
      badSession: 'malformed claims',
    });
    expect(tokens.verify(sign({ iat: now - 10, exp: now + 50 })).ok).toBe(true);
  });

  it('refuse another algorithm, issuer, audience, type or an expired token', () => {
    const payload = { typ: 'access', name: 'ana', role: 'reviewer' };
    const base = { subject: claims.userId, issuer: 'nexus', audience: 'nexus-api', expiresIn: 60 } as const;
    const bad = [
      jwt.sign(payload, settings.secret, { ...base, algorithm: 'HS384' }),
      jwt.sign(payload, settings.secret, { ...base, algorithm: 'HS256', issuer: 'other' }),
      jwt.sign(payload, settings.secret, { ...base, algorithm: 'HS256', audience: 'other' }),
      jwt.sign({ ...payload, typ: 'refresh' }, settings.secret, { ...base, algorithm: 'HS256' }),
      jwt.sign({ ...payload, role: 'root' }, settings.secret, { ...base, algorithm: 'HS256' }),
      jwt.sign(payload, settings.secret, { ...base, algorithm: 'HS256', expiresIn: -1 }),
      jwt.sign(payload, 'y'.repeat(40), { ...base, algorithm: 'HS256' }),
    ];
    for (const token of bad) expect(tokens.verify(token).ok).toBe(false);
  });
});

describe('opaque credentials', () => {
  it('parse back, compare by hash, and refuse other shapes', () => {
    const c = newOpaqueCredential('nxk_');
    expect(parseOpaqueCredential('nxk_', c.token)).toEqual({ id: c.id, secret: c.secret });
    expect(sameHash(c.secret, c.hash)).toBe(true);
    expect(sameHash(`${c.secret}x`, c.hash)).toBe(false);
    for (const bad of ['nxk_', 'nxr_' + c.token.slice(4), `nxk_not-a-uuid.${c.secret}`, `${c.token}.extra`]) {
      expect(parseOpaqueCredential('nxk_', bad)).toBeUndefined();
    }
  });
});
