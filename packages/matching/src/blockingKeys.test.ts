import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { blockingKeys, MAX_KEYS } from './blockingKeys';
import { normaliseRecord } from './normaliseRecord';

const keys = (fields: Partial<CanonicalRecord>) =>
  blockingKeys(normaliseRecord({ external_id: 'x', attributes: {}, ...fields }));
const shared = (a: string[], b: string[]) => a.filter((k) => b.includes(k));

describe('blockingKeys', () => {
  const full: Partial<CanonicalRecord> = {
    given_name: 'Robert',
    family_name: 'Smith',
    date_of_birth: '1971-06-24',
    street_number: '12',
    street: 'Main Street',
    postcode: '2000',
    email: 'robert.smith@example.com',
    phone: '+442079460018',
    national_id: 'AB123456',
  };

  it('prefixes each key with its kind and keeps the count bounded', () => {
    const k = keys(full);
    expect(k).toEqual(
      expect.arrayContaining(['nid:ab123456', 'el:robert.smith', 'ph:+442079460018', 'd:19710624']),
    );
    expect(k.every((key) => /^[a-z]+:/.test(key))).toBe(true);
    expect(k.length).toBeLessThanOrEqual(MAX_KEYS);
    expect(new Set(k).size).toBe(k.length);
  });

  it('lets typical variants of one person meet', () => {
    const base = keys(full);
    expect(
      shared(base, keys({ given_name: 'Bob', family_name: 'Smith', date_of_birth: '1971' })),
    ).not.toEqual([]);
    expect(shared(base, keys({ given_name: 'Smith', family_name: 'Robert', city: 'Leeds' }))).not.toEqual([]);
    expect(
      shared(base, keys({ given_name: 'Robrt', family_name: 'Smyth', date_of_birth: '1971-06-24' })),
    ).not.toEqual([]);
    expect(shared(base, keys({ email: 'robert.smith@exmaple.com' }))).not.toEqual([]);
  });

  it('blocks a lone name as a given and as a family name, so a surname written alone still meets', () => {
    const thomas = keys({
      given_name: 'Thomas',
      family_name: 'Chitty',
      date_of_birth: '1802-01-01',
      birth_place: 'Dacorum',
    });
    // The surname alone, in the given-name column, with where he was born.
    expect(shared(thomas, keys({ given_name: 'Chitty', birth_place: 'Dacorum' }))).not.toEqual([]);
    expect(shared(thomas, keys({ family_name: 'Chitty', birth_place: 'Dacorum' }))).not.toEqual([]);
    // Without anything beside it, a name alone still makes no key (it would be shared by strangers).
    expect(keys({ given_name: 'Chitty' })).toEqual([]);
    // The lone name with nothing else in common meets nobody.
    expect(shared(thomas, keys({ given_name: 'Chitty', birth_place: 'Leeds' }))).toEqual([]);
  });

  it('lets a mistyped family name meet its person by the given name and the family initial', () => {
    expect(
      shared(
        keys({ given_name: 'Aylmer', family_name: 'Haldane', date_of_birth: '1862-11-17' }),
        keys({ given_name: 'Aylmer', family_name: 'Hsldane' }),
      ),
    ).not.toEqual([]);
  });

  it('makes no key from a short identifier or a lone given name', () => {
    expect(keys({ national_id: '0', given_name: 'Ann' })).toEqual([]);
  });

  it('never throws and never exceeds the cap', () => {
    const value = fc.option(fc.string({ maxLength: 30 }), { nil: undefined });
    fc.assert(
      fc.property(
        fc.record({ given_name: value, family_name: value, date_of_birth: value, email: value, city: value }),
        (f) => {
          const k = keys(f);
          expect(k.length).toBeLessThanOrEqual(MAX_KEYS);
          expect(new Set(k).size).toBe(k.length);
        },
      ),
    );
  });
});
