import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';

/** A value sealed (AES-256-GCM) by sealSecret; anything else in the column is a plaintext value from before. */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/**
 * Encrypts a server secret for the database under the server's secret key. The secret's name is
 * bound in as associated data: a sealed value copied to another row does not open there.
 */
export function sealSecret(key: Buffer, name: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(name));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${[iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.')}`;
}

/** The plaintext of a sealed value; undefined when it was sealed under another key (or altered). */
export function openSecret(key: Buffer, name: string, stored: string): string | undefined {
  const [iv, tag, body, ...rest] = stored.slice(PREFIX.length).split('.');
  if (!iv || !tag || body === undefined || rest.length > 0) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(name));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}
