import { describe, expect, it } from 'vitest';
import { parseCanonicalRecord } from '@nexus/schema';
import { normaliseRecord } from '@nexus/matching';
import { fieldQuality } from './fieldQuality';

function flagsOf(raw: Record<string, string>) {
  const parsed = parseCanonicalRecord({ external_id: 'x', ...raw });
  if (!parsed.ok) throw new Error('test record must parse');
  return fieldQuality(parsed.record, normaliseRecord(parsed.record, { defaultCountry: 'AU' }));
}

const COMPLETE = {
  given_name: 'Ana',
  family_name: 'Silva',
  date_of_birth: '1990-01-02',
  gender: 'f',
  phone: '+61412345678',
  email: 'ana@example.org',
  national_id: 'AB123',
  postcode: '2000',
  city: 'Sydney',
  country: 'AU',
};

describe('field quality flags', () => {
  it('flag nothing on a complete, clean record', () => {
    expect(flagsOf(COMPLETE)).toEqual({});
  });

  it('flag absent fields as missing', () => {
    const { phone: _p, email: _e, ...rest } = COMPLETE;
    expect(flagsOf(rest)).toEqual({ phone: 'missing', email: 'missing' });
  });

  it('flag a date that is not a date, a phone that does not parse, a name that is only a title as invalid', () => {
    expect(flagsOf({ ...COMPLETE, date_of_birth: 'unknown', phone: '12', given_name: 'Mr' })).toMatchObject({
      date_of_birth: 'invalid',
      phone: 'invalid',
    });
    expect(flagsOf({ ...COMPLETE, email: 'not-an-email', gender: 'zz' })).toEqual({
      email: 'invalid',
      gender: 'invalid',
    });
  });

  it('flag values usable only after a repair as repaired', () => {
    expect(
      flagsOf({
        ...COMPLETE,
        date_of_birth: '1990/01/02',
        phone: '0412 345 678',
        email: '<ana@example.org>',
      }),
    ).toEqual({ date_of_birth: 'repaired', phone: 'repaired', email: 'repaired' });
  });
});
