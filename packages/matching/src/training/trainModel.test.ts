import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../defaultModel';
import { normaliseRecord, type NormalisedRecord } from '../normaliseRecord';
import { blockedPairIndexes } from './blockedPairs';
import { pairCount, seededRandom, type Random } from './random';
import { trainModel } from './trainModel';

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const SYLLABLES = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'to', 'vi', 'be', 'do', 'fa', 'gu', 'ha', 'jo'];
const name = (random: Random) => Array.from({ length: 3 }, () => pick(random, SYLLABLES)).join('');

/** One keying error: two neighbouring letters swapped. */
function typo(random: Random, s: string): string {
  const i = 1 + Math.floor(random() * (s.length - 2));
  return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2);
}

/**
 * 1,000 people; a third registered again with a typo in the family name (30%), in the given
 * name (20%) or a missing date of birth (10%). Returns the records and the number of true pairs.
 */
function population(seed: number): { records: NormalisedRecord[]; truePairs: number } {
  const random = seededRandom(seed);
  const records: NormalisedRecord[] = [];
  let truePairs = 0;
  for (let i = 0; i < 1000; i++) {
    const person = {
      external_id: `p${i}`,
      given_name: name(random),
      family_name: name(random),
      date_of_birth: `19${50 + Math.floor(random() * 50)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`,
      postcode: String(1000 + Math.floor(random() * 300)),
      attributes: {},
    };
    records.push(normaliseRecord(person));
    if (random() < 1 / 3) {
      truePairs++;
      records.push(
        normaliseRecord({
          ...person,
          external_id: `d${i}`,
          family_name: random() < 0.3 ? typo(random, person.family_name) : person.family_name,
          given_name: random() < 0.2 ? typo(random, person.given_name) : person.given_name,
          date_of_birth: random() < 0.1 ? undefined : person.date_of_birth,
        }),
      );
    }
  }
  return { records, truePairs };
}

function train(seed: number) {
  const { records, truePairs } = population(seed);
  const blockedPairs = blockedPairIndexes(records).map(
    ([i, j]) => [records[i], records[j]] as [NormalisedRecord, NormalisedRecord],
  );
  const result = trainModel(
    DEFAULT_MODEL,
    { sample: records, blockedPairs, blockedPairsTotal: blockedPairs.length, recordsTotal: records.length },
    { version: 'trained-test', randomPairs: 30_000 },
  );
  return { result, records, truePairs };
}

describe('trainModel', () => {
  const { result, records, truePairs } = train(21);
  const levels = (field: 'family_name' | 'given_name' | 'date_of_birth' | 'email') =>
    Object.fromEntries((result.model.fields[field]?.levels ?? []).map((l) => [l.level, l]));

  it('finds how many pairs are one person, and the match probability of a random pair', () => {
    expect(result.converged).toBe(true);
    expect(result.expectedMatches / truePairs).toBeGreaterThan(0.9);
    expect(result.expectedMatches / truePairs).toBeLessThan(1.1);
    const truth = truePairs / pairCount(records.length);
    expect(result.model.matchProbability / truth).toBeGreaterThan(0.9);
    expect(result.model.matchProbability / truth).toBeLessThan(1.1);
  });

  it('learns m from the errors the duplicates carry, without labels', () => {
    // A family name is mistyped in 30% of duplicates, a given name in 20%.
    expect(levels('family_name').exact?.m).toBeGreaterThan(0.62);
    expect(levels('family_name').exact?.m).toBeLessThan(0.78);
    expect(levels('given_name').exact?.m).toBeGreaterThan(0.72);
    expect(levels('given_name').exact?.m).toBeLessThan(0.88);
    // Dates are never mistyped here: exact agreement takes nearly all of m.
    expect(levels('date_of_birth').exact?.m).toBeGreaterThan(0.9);
  });

  it('keeps the levels of the model, every probability above 0, and what it cannot see', () => {
    for (const [field, params] of Object.entries(DEFAULT_MODEL.fields)) {
      const trained = result.model.fields[field as keyof typeof DEFAULT_MODEL.fields];
      expect(trained?.levels.map((l) => [l.level, l.tf])).toEqual(params.levels.map((l) => [l.level, l.tf]));
      for (const l of trained?.levels ?? []) {
        expect(l.m).toBeGreaterThan(0);
        expect(l.u).toBeGreaterThan(0);
      }
    }
    // Nobody has an e-mail address: its m and u stay the shipped ones.
    expect(result.model.fields.email).toEqual(DEFAULT_MODEL.fields.email);
    expect(result.model.termFrequencies?.family_name?.other).toBeGreaterThan(0);
    expect(result.model.version).toBe('trained-test');
  });

  it('gives the same model for the same data and seed', () => {
    expect(train(21).result.model).toEqual(result.model);
  });
});
