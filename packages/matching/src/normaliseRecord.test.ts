import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { normaliseIdentifier, normaliseRecord } from './normaliseRecord';

const record = (fields: Partial<CanonicalRecord>): CanonicalRecord => ({
  external_id: 'r1',
  attributes: {},
  ...fields,
});

describe('normaliseRecord', () => {
  it('normalises every field it compares', () => {
    const n = normaliseRecord(
      record({
        full_name: 'Dr. José van der Berg',
        date_of_birth: '1980-02-30',
        gender: 'F',
        street_number: '12 A',
        street: 'Main Street',
        locality: 'St Kilda',
        postcode: '3182',
        state: 'Victoria',
        phone: '0412 345 678',
        email: ' Jose@Example.com ',
        national_id: 'ab-123 456',
      }),
      { defaultCountry: 'AU' },
    );
    expect(n).toMatchObject({
      given: 'jose',
      family: 'berg',
      dob: { precision: 'invalid', digits: '19800230', year: 1980 },
      gender: 'f',
      street_number: '12a',
      street: 'main st',
      locality: 'st kilda',
      postcode: '3182',
      state: 'vic',
      phone: '+61412345678',
      email: 'jose@example.com',
      national_id: 'ab123456',
    });
  });

  it("prefers the record's own country for its phone number", () => {
    const n = normaliseRecord(record({ phone: '020 7946 0018', country: 'GB' }), { defaultCountry: 'AU' });
    expect(n.phone).toBe('+442079460018');
  });

  it('leaves absent values out, so the result is plain JSON', () => {
    const n = normaliseRecord(record({ given_name: 'Ann', email: '   ' }));
    expect(Object.keys(n).sort()).toEqual(['given', 'givenCodes', 'givenRoots', 'v']);
    expect(normaliseIdentifier('--')).toBeUndefined();
  });

  it('never throws on any text and always survives a JSON round trip', () => {
    const value = fc.option(fc.string({ unit: 'binary', maxLength: 40 }), { nil: undefined });
    const arb = fc.record({
      given_name: value,
      family_name: value,
      full_name: value,
      date_of_birth: value,
      gender: value,
      street: value,
      postcode: value,
      phone: value,
      email: value,
      national_id: value,
      city: value,
    });
    fc.assert(
      fc.property(arb, (fields) => {
        const n = normaliseRecord(record(fields), { defaultCountry: 'GB' });
        expect(JSON.parse(JSON.stringify(n))).toEqual(n);
      }),
    );
  });
});
