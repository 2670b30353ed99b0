import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  normalisePlace,
  normalisePostcode,
  normaliseState,
  normaliseStreet,
  normaliseStreetNumber,
  streetName,
} from './addresses';

describe('addresses', () => {
  it('folds street types to one short form', () => {
    expect(normaliseStreet('12 Smith Street')).toBe('12 smith st');
    expect(normaliseStreet('smith st.')).toBe('smith st');
    expect(normaliseStreet('Wallaby Place')).toBe('wallaby pl');
    expect(normaliseStreet('Main Rd')).toBe(normaliseStreet('main road'));
  });

  it('splits a street type glued to the name, but not inside short words', () => {
    expect(normaliseStreet('pridhamstreet')).toBe('pridham st');
    expect(normaliseStreet('broad')).toBe('broad');
    expect(streetName('pridham st')).toBe('pridham');
  });

  it('normalises numbers, postcodes, states and places', () => {
    expect(normaliseStreetNumber('12 A')).toBe('12a');
    expect(normalisePostcode('SW1A 1AA')).toBe('sw1a1aa');
    expect(normalisePostcode('0800')).toBe('0800');
    expect(normaliseState('New South Wales')).toBe('nsw');
    expect(normaliseState('NSW')).toBe('nsw');
    expect(normalisePlace('  St. Kilda ')).toBe('st kilda');
    expect(normalisePlace('--')).toBeUndefined();
  });

  it('never throws and is idempotent', () => {
    const fns = [normaliseStreet, normaliseStreetNumber, normalisePostcode, normaliseState, normalisePlace];
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        for (const f of fns) {
          const once = f(s);
          if (once !== undefined) expect(f(once)).toBe(once);
        }
      }),
    );
  });
});
