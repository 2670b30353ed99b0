import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseGender } from './gender';

describe('gender', () => {
  it('reads the usual codes', () => {
    for (const v of ['m', 'M', 'male', '1', 'H', 'Masculino']) expect(normaliseGender(v)).toBe('m');
    for (const v of ['f', 'Female', '2', 'W', 'féminin', 'F.']) expect(normaliseGender(v)).toBe('f');
    for (const v of ['0', '9', 'u', 'unknown', 'x', '']) expect(normaliseGender(v)).toBeUndefined();
  });

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normaliseGender(s);
        expect(once === undefined || once === 'm' || once === 'f').toBe(true);
        if (once !== undefined) expect(normaliseGender(once)).toBe(once);
      }),
    );
  });
});
