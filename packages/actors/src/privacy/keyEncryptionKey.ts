import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/**
 * The key-encryption key (KEK): given to the process from outside the database (an environment
 * variable or a file, i.e. a secret store or KMS mount), never written anywhere by Nexus. It only
 * wraps the data keys; a dump of the database without it opens nothing.
 */
export interface KeyEncryptionKey {
  /** A fingerprint (not the key): stored beside each wrapped key so a wrong KEK is named at start. */
  id: string;
  key: Buffer;
}

/** Shorter secrets are refused: a KEK must carry at least 256 bits when written as text. */
export const MIN_KEK_LENGTH = 32;

export class EncryptionKeyError extends Error {
  constructor(
    readonly code: 'ENCRYPTION.KEY_MISSING' | 'ENCRYPTION.KEY_INVALID' | 'ENCRYPTION.UNENCRYPTED_DATA',
    message: string,
  ) {
    super(message);
  }
}

/** A KEK from its text (any secret of 32+ characters, stretched by HKDF as the server secret key). */
export function keyEncryptionKey(secret: string, origin: string): KeyEncryptionKey {
  const text = secret.trim();
  if (text.length < MIN_KEK_LENGTH) {
    throw new EncryptionKeyError(
      'ENCRYPTION.KEY_INVALID',
      `${origin} is too short for a key-encryption key (${text.length} characters, at least ${MIN_KEK_LENGTH})`,
    );
  }
  const key = Buffer.from(hkdfSync('sha256', text, 'nexus', 'nexus key-encryption key v1', 32));
  const id = createHash('sha256').update(key).digest('hex').slice(0, 12);
  return { id, key };
}

export function wrapKey(kek: KeyEncryptionKey, keyId: string, dataKey: Buffer): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', kek.key, iv);
  // The key's id is bound in: a wrapped key copied onto another row does not open there.
  cipher.setAAD(Buffer.from(keyId));
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

/** The data key, or undefined when this KEK did not wrap it (or the row was altered). */
export function unwrapKey(kek: KeyEncryptionKey, keyId: string, wrapped: string): Buffer | undefined {
  const [iv, tag, body] = wrapped.split('.');
  if (!iv || !tag || body === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]);
  } catch {
    return undefined;
  }
}
