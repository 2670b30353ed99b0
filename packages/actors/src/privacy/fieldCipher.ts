import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encrypts single values (a national id, a phone, an email, a face image) under a data key with
 * AES-256-GCM, and computes their blind indexes (HMAC-SHA256 under the index key) so that exact
 * matching and blocking still meet equal values without seeing them
 * (docs/decisions/0049-encryption-at-rest.md).
 *
 * A sealed value is one string, `nxe1:<data key id>:<iv|tag|ciphertext, base64url>`: the key id
 * travels with every value, so values written under several keys live side by side while
 * `nexus keys rotate` moves them to the active key.
 */
export const SEALED_PREFIX = 'nxe1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** 128 bits of HMAC: collisions between distinct values are out of reach; keys stay short. */
const BLIND_BYTES = 16;

/** A value names a data key this process does not hold (a newer one made by a rotation elsewhere). */
export class UnknownDataKeyError extends Error {
  readonly code = 'ENCRYPTION.UNKNOWN_KEY';
  constructor(readonly keyId: string) {
    super(`a value is encrypted under data key ${keyId}, which this process does not hold`);
  }
}

/** A sealed value does not open under its key: altered, or the key is not the one that sealed it. */
export class SealedValueError extends Error {
  readonly code = 'ENCRYPTION.VALUE_INVALID';
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/** The id of the data key a sealed value was written under. */
export function sealedKeyId(value: string): string | undefined {
  if (!isSealed(value)) return undefined;
  const end = value.indexOf(':', SEALED_PREFIX.length);
  return end < 0 ? undefined : value.slice(SEALED_PREFIX.length, end);
}

export interface FieldKeys {
  /** Data keys by id (32 bytes each), the active one among them. */
  dataKeys: ReadonlyMap<string, Buffer>;
  activeKeyId: string;
  /** The blind-index key: never rotated, since every stored index would have to be recomputed. */
  indexKey: Buffer;
}

export class FieldCipher {
  constructor(private keys: FieldKeys) {}

  get activeKeyId(): string {
    return this.keys.activeKeyId;
  }

  /** Replaces the keys held (after a rotation elsewhere); values sealed before still open. */
  replaceKeys(keys: FieldKeys): void {
    this.keys = keys;
  }

  holds(keyId: string): boolean {
    return this.keys.dataKeys.has(keyId);
  }

  seal(plaintext: string): string {
    const key = this.keys.dataKeys.get(this.keys.activeKeyId);
    if (key === undefined) throw new UnknownDataKeyError(this.keys.activeKeyId);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${SEALED_PREFIX}${this.keys.activeKeyId}:${packed}`;
  }

  open(sealed: string): string {
    const keyId = sealedKeyId(sealed);
    if (keyId === undefined) throw new SealedValueError('not a sealed value');
    const key = this.keys.dataKeys.get(keyId);
    if (key === undefined) throw new UnknownDataKeyError(keyId);
    const packed = Buffer.from(sealed.slice(SEALED_PREFIX.length + keyId.length + 1), 'base64url');
    if (packed.length < IV_BYTES + TAG_BYTES)
      throw new SealedValueError(`a value under ${keyId} is cut short`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (cause) {
      throw new SealedValueError(`a value under data key ${keyId} does not open (altered?)`, { cause });
    }
  }

  /** The keyed hash of a value of one kind ("nid", "ph", ...): equal values meet, nothing else leaks. */
  blind(kind: string, value: string): string {
    return createHmac('sha256', this.keys.indexKey)
      .update(`${kind}\u0000${value}`)
      .digest()
      .subarray(0, BLIND_BYTES)
      .toString('base64url');
  }
}
