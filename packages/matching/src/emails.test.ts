import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailLocalPart, normaliseEmail } from './emails';

describe('emails', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Ann.Lee@Example.COM ')).toBe('ann.lee@example.com');
    expect(normaliseEmail('mailto:<ann@example.com>')).toBe('ann@example.com');
    expect(normaliseEmail('   ')).toBeUndefined();
  });

  it('drops Gmail dots and sub-address tags of the large providers only', () => {
    expect(normaliseEmail('Ann.Lee+shop@googlemail.com')).toBe('annlee@gmail.com');
    expect(normaliseEmail('ann+news@outlook.com')).toBe('ann@outlook.com');
    expect(normaliseEmail('ann.lee+x@example.org')).toBe('ann.lee+x@example.org');
  });

  it('keeps values that are not addresses, for fuzzy comparison', () => {
    expect(normaliseEmail('ann at example')).toBe('annatexample');
    expect(emailLocalPart('ann@x.org')).toBe('ann');
    expect(emailLocalPart('nobody')).toBe('nobody');
  });

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress()), (s) => {
        const once = normaliseEmail(s);
        if (once !== undefined) expect(normaliseEmail(once)).toBe(once);
      }),
    );
  });
});
