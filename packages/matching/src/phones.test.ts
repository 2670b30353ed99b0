import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from './phones';

describe('phones', () => {
  it('writes national numbers in E.164 with the default country', () => {
    expect(normalisePhone('020 7946 0018', 'GB')).toBe('+442079460018');
    expect(normalisePhone('0412 345 678', 'au')).toBe('+61412345678');
    expect(normalisePhone('(201) 555-0123', 'US')).toBe('+12015550123');
  });

  it('needs no country for a number written with +', () => {
    expect(normalisePhone('+44 20 7946 0018')).toBe('+442079460018');
    expect(normalisePhone('+44 20 7946 0018', 'US')).toBe('+442079460018');
  });

  it('keeps the digits of a number it cannot read, and drops fragments', () => {
    expect(normalisePhone('555-1234-99999999', 'US')).toBe('555123499999999');
    expect(normalisePhone('12345')).toBeUndefined();
    expect(normalisePhone('0412 345 678', 'XX')).toBe('0412345678');
  });

  it('never throws and is idempotent', () => {
    const phoneLike = fc.stringMatching(/^\+?[\d ()-]{0,24}$/);
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), phoneLike),
        fc.constantFrom(undefined, 'GB', 'US', 'AU', 'FR', 'zz'),
        (s, c) => {
          const once = normalisePhone(s, c);
          if (once !== undefined) expect(normalisePhone(once, c)).toBe(once);
        },
      ),
    );
  });
});
