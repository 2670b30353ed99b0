import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/** An opaque credential `PREFIX` + id + `.` + secret; only a hash of the secret is stored. */
export function newOpaqueCredential(prefix: string): {
  id: string;
  secret: string;
  token: string;
  hash: string;
} {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${prefix}${id}.${secret}`, hash: sha256(secret) };
}

export function parseOpaqueCredential(
  prefix: string,
  token: string,
): { id: string; secret: string } | undefined {
  if (!token.startsWith(prefix)) return undefined;
  const [id, secret, ...rest] = token.slice(prefix.length).split('.');
  if (!id || !secret || rest.length > 0) return undefined;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) return undefined;
  return { id, secret };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function sameHash(secret: string, storedHash: string): boolean {
  const a = Buffer.from(sha256(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
