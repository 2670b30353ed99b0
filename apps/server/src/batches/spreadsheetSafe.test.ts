import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafe } from './spreadsheetSafe';

describe('spreadsheetSafe', () => {
  it('puts a single quote before a cell that would start a formula', () => {
    for (const cell of ['=1+2', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', '=HYPERLINK("http://x","y")'])
      expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
  });

  it('leaves every other cell as it is', () => {
    for (const cell of ['', 'Ana Silva', '2026-12-02T10:00:00.000Z', "'already", ' =1', 'a=b'])
      expect(spreadsheetSafe(cell)).toBe(cell);
  });

  it('never yields a cell that starts a formula, and only ever adds one leading quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (cell) => {
        const safe = spreadsheetSafe(cell);
        return !/^[=+\-@\t\r]/.test(safe) && (safe === cell || safe === `'${cell}`);
      }),
      { numRuns: 300 },
    );
  });
});
