import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseFamilyName, normaliseName, phoneticCodes, splitFullName } from './names';
import { NICKNAME_COUNT, nameRoots } from './nicknames';

describe('names', () => {
  it('folds case, accents and punctuation', () => {
    expect(normaliseName({ given_name: 'José', family_name: "O'Neil" })).toMatchObject({
      given: 'jose',
      family: 'oneil',
    });
  });

  it('drops particles, titles and generational suffixes', () => {
    expect(normaliseFamilyName('van der Berg')).toBe('berg');
    expect(normaliseFamilyName('De La Cruz Jr.')).toBe('cruz');
    expect(normaliseFamilyName('Le')).toBe('le');
    expect(normaliseName({ given_name: 'Dr. John', family_name: 'Smith III' })).toMatchObject({
      given: 'john',
      family: 'smith',
    });
  });

  it('splits a full name when given or family name is missing', () => {
    expect(splitFullName('Maria de la Cruz')).toEqual({ given: 'maria', middle: undefined, family: 'cruz' });
    expect(splitFullName('Smith, John Paul')).toEqual({ given: 'john', middle: 'paul', family: 'smith' });
    expect(normaliseName({ full_name: 'Ludwig van Beethoven' })).toMatchObject({
      given: 'ludwig',
      family: 'beethoven',
    });
    expect(normaliseName({ given_name: 'Ann', full_name: 'Annie Lee' })).toMatchObject({
      given: 'ann',
      family: 'lee',
    });
  });

  it('keeps extra given names as the middle name', () => {
    expect(normaliseName({ given_name: 'Mary Ann', family_name: 'Lee' })).toMatchObject({
      given: 'mary',
      middle: 'ann',
    });
    expect(normaliseName({ given_name: 'Mary Ann', middle_name: 'J.' })).toMatchObject({ middle: 'j' });
  });

  it('resolves nicknames to formal names', () => {
    expect(NICKNAME_COUNT).toBeGreaterThan(250);
    expect(nameRoots('bob')).toContain('robert');
    expect(nameRoots('bill')).toContain('william');
    expect(nameRoots('liz')).toContain('elizabeth');
    expect(nameRoots('al')).toEqual(expect.arrayContaining(['albert', 'alfred', 'alan']));
    expect(nameRoots('robert')).toEqual(['robert']);
  });

  it('gives Double Metaphone codes', () => {
    expect(phoneticCodes('smith')).toEqual(['SM0', 'XMT']);
    expect(phoneticCodes('smyth')[0]).toBe(phoneticCodes('smith')[0]);
    expect(phoneticCodes('123')).toEqual([]);
  });

  it('does not make a title out of letters written apart (found by the property below)', () => {
    expect(normaliseFamilyName('M r')).toBeUndefined();
    expect(normaliseName({ given_name: '', family_name: 'M r', full_name: '' }).family).toBeUndefined();
    expect(normaliseFamilyName('Mc Donald')).toBe('mcdonald');
  });

  it('never throws, and normalising a normalised family name changes nothing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), fc.string(), (a, b, c) => {
        const n = normaliseName({ given_name: a, family_name: b, full_name: c });
        if (n.family !== undefined) expect(normaliseFamilyName(n.family)).toBe(n.family);
        if (n.given !== undefined) expect(normaliseName({ given_name: n.given }).given).toBe(n.given);
        expect(JSON.parse(JSON.stringify(n))).toEqual(n);
      }),
    );
  });
});
