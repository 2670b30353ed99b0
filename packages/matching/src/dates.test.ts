import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysBetween, isoDate, normaliseDate } from './dates';

describe('dates', () => {
  it('reads full dates in both contract formats', () => {
    expect(normaliseDate('1956-04-09')).toEqual({
      precision: 'day',
      digits: '19560409',
      year: 1956,
      month: 4,
      day: 9,
    });
    expect(normaliseDate('19560409')).toEqual(normaliseDate('1956-04-09'));
    expect(normaliseDate('1956/4/9')).toEqual(normaliseDate('1956-04-09'));
  });

  it('reads partial dates', () => {
    expect(normaliseDate('1956-04')).toEqual({ precision: 'month', digits: '195604', year: 1956, month: 4 });
    expect(normaliseDate('195604')).toEqual(normaliseDate('1956-04'));
    expect(normaliseDate('1956')).toEqual({ precision: 'year', digits: '1956', year: 1956 });
  });

  it('reads births centuries ago (registers of historical people)', () => {
    expect(normaliseDate('1630-08-01')).toEqual({
      precision: 'day',
      digits: '16300801',
      year: 1630,
      month: 8,
      day: 1,
    });
  });

  it('marks invalid dates and keeps their digits', () => {
    expect(normaliseDate('19560231')).toEqual({ precision: 'invalid', digits: '19560231', year: 1956 });
    expect(normaliseDate('12/31/1990')).toEqual({ precision: 'invalid', digits: '12311990', year: 1231 });
    expect(normaliseDate('0999-01-01')?.precision).toBe('invalid');
    expect(normaliseDate('unknown')).toBeUndefined();
  });

  it('formats and measures', () => {
    const a = normaliseDate('2000-02-28');
    const b = normaliseDate('2000-03-01');
    expect(a && isoDate(a)).toBe('2000-02-28');
    expect(a && b && daysBetween(a, b)).toBe(2);
    const partial = normaliseDate('2000');
    expect(partial && a && daysBetween(partial, a)).toBeUndefined();
  });

  it('never throws; a valid date re-reads from its ISO text and digits stay stable', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\d{4}[-/]?\d{0,2}[-/]?\d{0,2}$/)), (s) => {
        const d = normaliseDate(s);
        if (d === undefined) return;
        expect(normaliseDate(d.digits)?.digits).toBe(d.digits);
        const iso = isoDate(d);
        if (iso !== undefined) expect(normaliseDate(iso)).toEqual(d);
      }),
    );
  });

  it('round-trips every real calendar day', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1850-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        (t) => {
          const iso = t.toISOString().slice(0, 10);
          const d = normaliseDate(iso);
          expect(d?.precision).toBe('day');
          expect(d && isoDate(d)).toBe(iso);
        },
      ),
    );
  });
});
