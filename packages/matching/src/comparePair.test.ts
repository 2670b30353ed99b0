import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { comparePair } from './comparePair';
import { DEFAULT_MODEL } from './defaultModel';
import { COMPARED_FIELDS, levelWeight, log2BayesFactor, priorLog2Odds } from './model';
import { normaliseRecord } from './normaliseRecord';
import { InMemoryTermFrequencies } from './termFrequencies';

const n = (fields: Partial<CanonicalRecord>) =>
  normaliseRecord({ external_id: 'x', attributes: {}, ...fields });
const level = (score: ReturnType<typeof comparePair>, field: string) =>
  score.fields.find((f) => f.field === field)?.level;

describe('comparePair', () => {
  const ann = n({ given_name: 'Ann', family_name: 'Lee', date_of_birth: '1980-03-12', city: 'Leeds' });

  it('adds the prior and each field weight', () => {
    const s = comparePair(ann, ann, DEFAULT_MODEL);
    expect(s.prior).toBeCloseTo(priorLog2Odds(DEFAULT_MODEL));
    expect(s.total).toBeCloseTo(s.prior + s.fields.reduce((t, f) => t + f.weight, 0));
    expect(level(s, 'given_name')).toBe('exact');
    expect(s.total).toBeGreaterThan(10);
  });

  it('keeps dates years apart on the same day and month apart from other dates years apart, weighed alike by the defaults', () => {
    const dob = (d: string) => n({ date_of_birth: d });
    const field = (a: string, b: string) =>
      comparePair(dob(a), dob(b), DEFAULT_MODEL).fields.find((f) => f.field === 'date_of_birth')!;
    // A year replaced (RLdata500: CHRISTIAN GROSS 1959-04-07 and 2008-04-07).
    expect(field('1959-04-07', '2008-04-07').level).toBe('same_day_and_month');
    // One or two keying errors in the year stay what they were.
    expect(field('1957-04-07', '1947-04-07').level).toBe('typo');
    expect(field('1939-06-16', '1943-06-16').level).toBe('two_typos');
    expect(field('1959-04-07', '2008-05-07').level).toBe('different');
    // Until EM learns otherwise from the data, the new level weighs as years apart.
    expect(field('1959-04-07', '2008-04-07').weight).toBeCloseTo(field('1959-04-07', '2008-05-07').weight, 1);
  });

  it('weighs missing values as nothing', () => {
    const s = comparePair(ann, n({ given_name: 'Ann' }), DEFAULT_MODEL);
    const dob = s.fields.find((f) => f.field === 'date_of_birth');
    expect(dob).toMatchObject({ level: 'missing', weight: 0, left: '1980-03-12', right: null });
  });

  it('recognises swapped names and swapped day and month as their own, weaker levels', () => {
    const swapped = comparePair(
      ann,
      n({ given_name: 'Lee', family_name: 'Ann', date_of_birth: '1980-12-03' }),
      DEFAULT_MODEL,
    );
    expect(level(swapped, 'given_name')).toBe('swapped');
    expect(level(swapped, 'family_name')).toBe('swapped');
    expect(level(swapped, 'date_of_birth')).toBe('swapped_day_month');
    const exact = comparePair(ann, ann, DEFAULT_MODEL);
    expect(swapped.total).toBeLessThan(exact.total);
    expect(swapped.total).toBeGreaterThan(0);
  });

  it('grades near misses', () => {
    const s = comparePair(
      ann,
      n({ given_name: 'Anne', family_name: 'Leigh', date_of_birth: '1980-03-21', city: 'Leds' }),
      DEFAULT_MODEL,
    );
    expect(level(s, 'given_name')).toBe('close');
    expect(level(s, 'family_name')).toBe('phonetic');
    expect(level(s, 'date_of_birth')).toBe('typo');
    expect(level(s, 'city')).toBe('close');
    const nick = comparePair(n({ given_name: 'Bill' }), n({ given_name: 'William' }), DEFAULT_MODEL);
    expect(level(nick, 'given_name')).toBe('nickname');
    const partial = comparePair(ann, n({ date_of_birth: '1980' }), DEFAULT_MODEL);
    expect(level(partial, 'date_of_birth')).toBe('same_year');
  });

  it('weighs agreement on a common value less than on a rare one', () => {
    const smiths = Array.from({ length: 200 }, (_, i) => n({ family_name: i < 100 ? 'Smith' : `Name${i}` }));
    const tf = InMemoryTermFrequencies.fromRecords(smiths);
    const common = comparePair(n({ family_name: 'Smith' }), n({ family_name: 'Smith' }), DEFAULT_MODEL, tf);
    const rare = comparePair(n({ family_name: 'Name150' }), n({ family_name: 'Name150' }), DEFAULT_MODEL, tf);
    expect(rare.total).toBeGreaterThan(common.total);
    expect(tf.frequency('family_name', 'smith')).toBeCloseTo(0.5);
    expect(new InMemoryTermFrequencies().frequency('family_name', 'smith')).toBeUndefined();
  });

  it('is symmetric', () => {
    const value = fc.option(
      fc.constantFrom('Ann', 'Anne', 'Lee', 'Leigh', 'Bob', 'Robert', '1980-03-12', '1980-12-03', '1980'),
      {
        nil: undefined,
      },
    );
    fc.assert(
      fc.property(
        fc.record({ given_name: value, family_name: value, date_of_birth: value }),
        fc.record({ given_name: value, family_name: value, date_of_birth: value }),
        (x, y) => {
          const a = n(x);
          const b = n(y);
          expect(comparePair(a, b, DEFAULT_MODEL).total).toBeCloseTo(
            comparePair(b, a, DEFAULT_MODEL).total,
            9,
          );
        },
      ),
    );
  });
});

describe('DEFAULT_MODEL', () => {
  it('is plain JSON with probabilities in (0, 1] and a level list for every compared field', () => {
    expect(JSON.parse(JSON.stringify(DEFAULT_MODEL))).toEqual(DEFAULT_MODEL);
    for (const field of COMPARED_FIELDS) {
      const levels = DEFAULT_MODEL.fields[field]?.levels ?? [];
      expect(levels.length).toBeGreaterThan(1);
      const mSum = levels.reduce((t, l) => t + l.m, 0);
      expect(mSum).toBeLessThanOrEqual(1.0001);
      for (const l of levels) {
        expect(l.m).toBeGreaterThan(0);
        expect(l.u).toBeGreaterThan(0);
        expect(l.u).toBeLessThanOrEqual(1);
      }
      // Levels run from the strongest agreement down to "different".
      expect(levels[levels.length - 1]?.level).toBe('different');
      expect(levelWeight(DEFAULT_MODEL, field, 'different', undefined)).toBeLessThan(0);
    }
    expect(log2BayesFactor(0.5, 0.25)).toBe(1);
  });
});
