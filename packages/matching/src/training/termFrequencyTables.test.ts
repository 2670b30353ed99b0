import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../defaultModel';
import { levelWeight, type MatchModel } from '../model';
import { normaliseRecord } from '../normaliseRecord';
import { termFrequenciesOf } from '../termFrequencies';
import { termFrequencyTables } from './termFrequencyTables';

const record = (i: number, family: string, city?: string) =>
  normaliseRecord({ external_id: `r${i}`, family_name: family, city, attributes: {} });

/** 200 records: smith 100 times, jones 40, lee 20, then 40 names held by one record each. */
function register() {
  const names = [
    ...Array<string>(100).fill('smith'),
    ...Array<string>(40).fill('jones'),
    ...Array<string>(20).fill('lee'),
    ...Array.from(
      { length: 40 },
      (_, i) => `rare${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`,
    ),
  ];
  return names.map((n, i) => record(i, n, i < 50 ? 'leeds' : undefined));
}

describe('termFrequencyTables', () => {
  it('lists the most common values with their share among the records holding the field', () => {
    const tables = termFrequencyTables(register(), { topK: 2, minCount: 2, minRecords: 100 });
    expect(tables.family_name?.values).toEqual({ smith: 0.5, jones: 0.2 });
    // The rest, weighted by agreement: (20^2 + 40 * 1^2) / (60 * 200).
    expect(tables.family_name?.other).toBeCloseTo((400 + 40) / (60 * 200), 12);
  });

  it('leaves out values seen fewer than minCount times and fields held by too few records', () => {
    const tables = termFrequencyTables(register(), { topK: 1000, minCount: 2, minRecords: 100 });
    expect(Object.keys(tables.family_name?.values ?? {})).toEqual(['smith', 'jones', 'lee']);
    expect(tables.family_name?.other).toBeCloseTo(1 / 200, 12);
    expect(tables.city).toBeUndefined(); // 50 records hold a city
    expect(tables.given_name).toBeUndefined();
  });

  it('lets the engine weigh a common value less and an uncommon one more than the model u', () => {
    const tables = termFrequencyTables(register(), { topK: 1000, minCount: 2, minRecords: 100 });
    const model: MatchModel = { ...DEFAULT_MODEL, termFrequencies: tables };
    const tf = termFrequenciesOf(model);
    expect(tf?.frequency('family_name', 'smith')).toBe(0.5);
    expect(tf?.frequency('family_name', 'zebedee')).toBeCloseTo(1 / 200, 12);
    expect(tf?.frequency('city', 'leeds')).toBeUndefined();
    const plain = levelWeight(DEFAULT_MODEL, 'family_name', 'exact', 'smith');
    expect(levelWeight(model, 'family_name', 'exact', 'smith', tf)).toBeLessThan(plain);
    expect(levelWeight(model, 'family_name', 'exact', 'lee', tf)).toBeLessThan(plain);
    expect(termFrequenciesOf(DEFAULT_MODEL)).toBeUndefined();
  });
});
