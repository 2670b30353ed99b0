import { installIdentifierBlinding } from '@nexus/matching';
import { FieldCipher, isSealed, sealedKeyId } from './fieldCipher';

/**
 * The codec applied where a person's values cross into the database: the fields encrypted at
 * rest are sealed on the way in (`sealPersonal`) and every sealed string is opened on the way out
 * (`openPersonal`, run on every query result by the decrypting plugin of `createDb`).
 *
 * Encrypted: national ids, phones, emails, face images, by these keys wherever they appear in a
 * stored document (a payload, a cleaned record, best values, a bus message, a dead letter) and as
 * the compared values of an explanation (`{field: "phone", left, right}`). Names, dates, places
 * stay in the clear: fuzzy matching, phonetic blocking and search need them (ADR 0049 says why).
 */
export const ENCRYPTED_FIELDS: ReadonlySet<string> = new Set(['national_id', 'phone', 'email', 'face_image']);
const COMPARED_VALUES = ['left', 'right', 'value'] as const;

/**
 * One cipher per thread: the main thread and each worker thread install theirs at start when
 * encryption is configured. None installed: encryption is off and the codec is the identity.
 */
let installed: FieldCipher | undefined;

export function installFieldCipher(cipher: FieldCipher | undefined): void {
  installed = cipher;
  installIdentifierBlinding(cipher === undefined ? undefined : (kind, value) => cipher.blind(kind, value));
}

export function installedFieldCipher(): FieldCipher | undefined {
  return installed;
}

/** A copy of the document with its personal identifiers sealed (the document itself when off). */
export function sealPersonal<T>(document: T): T {
  const cipher = installed;
  return cipher === undefined ? document : (sealWith(cipher, document) as T);
}

export function sealWith(cipher: FieldCipher, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => sealWith(cipher, v));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const comparison = typeof source.field === 'string' && ENCRYPTED_FIELDS.has(source.field);
  for (const [key, v] of Object.entries(source)) {
    const personal =
      ENCRYPTED_FIELDS.has(key) || (comparison && (COMPARED_VALUES as readonly string[]).includes(key));
    out[key] = personal && typeof v === 'string' && !isSealed(v) ? cipher.seal(v) : sealWith(cipher, v);
  }
  return out;
}

/** Every sealed string in the value opened, in place where it can be (query results are ours). */
export function openWith(cipher: FieldCipher, value: unknown): unknown {
  if (typeof value === 'string') return isSealed(value) ? cipher.open(value) : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = openWith(cipher, value[i]);
    return value;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date || Buffer.isBuffer(value))
    return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = openWith(cipher, record[key]);
  return record;
}

/**
 * A stored document (as stored: sealed strings not opened) brought under the active key: values
 * sealed under another key are re-encrypted, personal values still in the clear (written before
 * encryption was turned on) are sealed. `changed` says whether it needs writing back.
 */
export function resealWith(cipher: FieldCipher, value: unknown): { value: unknown; changed: boolean } {
  let changed = false;
  const walk = (v: unknown, personal: boolean): unknown => {
    if (typeof v === 'string') {
      if (isSealed(v)) {
        if (sealedKeyId(v) === cipher.activeKeyId) return v;
        changed = true;
        return cipher.seal(cipher.open(v));
      }
      if (!personal) return v;
      changed = true;
      return cipher.seal(v);
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, false));
    if (v === null || typeof v !== 'object') return v;
    const source = v as Record<string, unknown>;
    const comparison = typeof source.field === 'string' && ENCRYPTED_FIELDS.has(source.field);
    const out: Record<string, unknown> = {};
    for (const [key, x] of Object.entries(source)) {
      out[key] = walk(
        x,
        ENCRYPTED_FIELDS.has(key) || (comparison && (COMPARED_VALUES as readonly string[]).includes(key)),
      );
    }
    return out;
  };
  const out = walk(value, false);
  return { value: out, changed };
}
