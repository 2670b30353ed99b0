import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldCase, foldText, foldWords } from './fold';

describe('fold', () => {
  it('strips diacritics, case and letters NFKD keeps', () => {
    expect(foldCase('JOSÉ Müller')).toBe('jose muller');
    expect(foldCase('Straße Øster Łódź')).toBe('strasse oster lodz');
    expect(foldCase('İstanbul')).toBe('istanbul');
  });

  it('splits words on punctuation and drops apostrophes', () => {
    expect(foldWords("O'Brien-Smith,  Jr.")).toEqual(['obrien', 'smith', 'jr']);
    expect(foldText('  ')).toBeUndefined();
    expect(foldText(undefined)).toBeUndefined();
  });

  it('never throws and is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const once = foldCase(s);
        expect(foldCase(once)).toBe(once);
        const text = foldText(s);
        if (text !== undefined) expect(foldText(text)).toBe(text);
      }),
    );
  });
});
