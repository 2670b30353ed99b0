import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FieldCipher, SealedValueError, UnknownDataKeyError, sealedKeyId } from './fieldCipher';
import { keyEncryptionKey, unwrapKey, wrapKey } from './keyEncryptionKey';
import { openWith, resealWith, sealWith } from './personalFields';

const cipherWith = (active: string, ...ids: string[]) =>
  new FieldCipher({
    dataKeys: new Map([active, ...ids].map((id) => [id, Buffer.alloc(32, id.charCodeAt(1))])),
    activeKeyId: active,
    indexKey: Buffer.alloc(32, 7),
  });

const record = {
  external_id: 'r-1',
  given_name: 'Ada',
  national_id: 'QX938274615',
  phone: '+447700900123',
  email: 'ada@example.org',
  face_image: 'data:image/png;base64,AAAA',
};

describe('personal fields sealed at rest', () => {
  it('seals exactly the national id, phone, email and face image, and opens them back', () => {
    const cipher = cipherWith('d1');
    const sealed = sealWith(cipher, { recordId: 'x', record }) as { record: Record<string, string> };
    const text = JSON.stringify(sealed);
    for (const value of [record.national_id, record.phone, record.email, record.face_image]) {
      expect(text).not.toContain(value);
    }
    // Names stay matchable in the clear.
    expect(sealed.record.given_name).toBe('Ada');
    expect(sealed.record.external_id).toBe('r-1');
    expect(sealedKeyId(sealed.record.phone!)).toBe('d1');
    expect(openWith(cipher, sealed)).toEqual({ recordId: 'x', record });
  });

  it('seals the compared values of an explanation for those fields only', () => {
    const cipher = cipherWith('d1');
    const explanation = {
      fields: [
        { field: 'phone', level: 'exact', left: '+447700900123', right: '+447700900123' },
        { field: 'given_name', level: 'exact', left: 'ada', right: 'ada' },
      ],
    };
    const sealed = sealWith(cipher, explanation) as typeof explanation;
    expect(sealed.fields[0]!.left).not.toContain('7700');
    expect(sealed.fields[1]!.left).toBe('ada');
    expect(openWith(cipher, sealed)).toEqual(explanation);
  });

  it('never writes the same ciphertext twice (random IV), so equal values do not show', () => {
    const cipher = cipherWith('d1');
    expect(cipher.seal('same')).not.toBe(cipher.seal('same'));
  });

  it('blind indexes meet on equal values, differ by kind and by index key', () => {
    const a = cipherWith('d1');
    expect(a.blind('nid', '938274615')).toBe(a.blind('nid', '938274615'));
    expect(a.blind('nid', '938274615')).not.toBe(a.blind('ph', '938274615'));
    expect(a.blind('nid', '938274615')).not.toBe(a.blind('nid', '938274616'));
    const other = new FieldCipher({ dataKeys: new Map(), activeKeyId: 'd1', indexKey: Buffer.alloc(32, 8) });
    expect(other.blind('nid', '938274615')).not.toBe(a.blind('nid', '938274615'));
    expect(a.blind('nid', '938274615')).not.toContain('938274615');
  });

  it('refuses an altered value and names a key it does not hold', () => {
    const cipher = cipherWith('d1');
    const sealed = cipher.seal('QX938274615');
    const altered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => cipher.open(altered)).toThrow(SealedValueError);
    expect(() => cipherWith('d2').open(sealed)).toThrow(UnknownDataKeyError);
  });

  it('reseals values under the active key and seals personal values left in the clear', () => {
    const old = cipherWith('d1');
    const stored = sealWith(old, record) as Record<string, string>;
    const rotated = cipherWith('d2', 'd1');
    const out = resealWith(rotated, stored);
    expect(out.changed).toBe(true);
    const values = out.value as Record<string, string>;
    expect(sealedKeyId(values.national_id!)).toBe('d2');
    expect(openWith(rotated, structuredClone(values))).toEqual(record);
    expect(resealWith(rotated, values).changed).toBe(false);
    const legacy = resealWith(rotated, { ...record });
    expect(legacy.changed).toBe(true);
    expect(JSON.stringify(legacy.value)).not.toContain(record.national_id);
  });

  it('wraps data keys under the key-encryption key, bound to their id', () => {
    const kek = keyEncryptionKey('a-key-encryption-key-of-32-characters!', 'test');
    const other = keyEncryptionKey('another-key-encryption-key-of-32-chars', 'test');
    const key = randomBytes(32);
    const wrapped = wrapKey(kek, 'd1', key);
    expect(unwrapKey(kek, 'd1', wrapped)).toEqual(key);
    expect(unwrapKey(kek, 'd2', wrapped)).toBeUndefined();
    expect(unwrapKey(other, 'd1', wrapped)).toBeUndefined();
    expect(kek.id).not.toBe(other.id);
    expect(() => keyEncryptionKey('short', 'NEXUS_ENCRYPTION_KEY')).toThrow(/too short/);
  });
});
