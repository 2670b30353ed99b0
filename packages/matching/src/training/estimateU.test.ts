import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../defaultModel';
import { normaliseRecord, type NormalisedRecord } from '../normaliseRecord';
import { countPatterns, modelFieldLevels } from './comparisonPatterns';
import { estimateU } from './estimateU';
import { matchPosterior, modelProbabilities } from './probabilities';
import { pairCount, randomPairs, seededRandom } from './random';

const GIVEN = ['ann', 'bob', 'carl', 'dora', 'emil', 'fern', 'gus', 'hana', 'ivo', 'jana'];
const FIELDS = modelFieldLevels(DEFAULT_MODEL);
const U0 = modelProbabilities(DEFAULT_MODEL, FIELDS, 'u');
const M0 = modelProbabilities(DEFAULT_MODEL, FIELDS, 'm');
const given = FIELDS.findIndex((f) => f.field === 'given_name');
const nationalId = FIELDS.findIndex((f) => f.field === 'national_id');
const level = (f: number, name: string) => FIELDS[f]?.levels.indexOf(name) ?? -1;

function word(random: () => number, letters: string, length: number): string {
  return Array.from({ length }, () => letters[Math.floor(random() * letters.length)]).join('');
}

/**
 * n people: one of ten given names (ann has a share of 0.4, the other nine 0.6 together), a
 * random family name and a random national id.
 */
function people(n: number, seed: number): NormalisedRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, (_, i) =>
    normaliseRecord({
      external_id: `r${i}`,
      given_name: random() < 0.4 ? 'ann' : (GIVEN[1 + Math.floor(random() * 9)] ?? 'bob'),
      family_name:
        word(random, 'bcdfghklmnprstvz', 3) + word(random, 'aeiou', 1) + word(random, 'bcdfghklmnprstvz', 3),
      national_id: word(random, '0123456789', 9),
      attributes: {},
    }),
  );
}

function pairsOf(records: NormalisedRecord[], count: number, seed: number) {
  return randomPairs(records.length, count, seededRandom(seed)).map(
    ([i, j]) => [records[i], records[j]] as [NormalisedRecord, NormalisedRecord],
  );
}

describe('estimateU', () => {
  it('measures chance agreement on random pairs: u(exact given name) = sum of squared shares', () => {
    const records = people(2000, 1);
    const patterns = countPatterns(pairsOf(records, 20_000, 2), FIELDS);
    const { u, pairs } = estimateU(patterns, FIELDS, { prior: U0, priorPairs: 100 });
    expect(pairs).toBe(20_000);
    const expected = 0.4 ** 2 + 9 * (0.6 / 9) ** 2; // 0.2
    expect(u[given]?.[level(given, 'exact')]).toBeGreaterThan(expected * 0.93);
    expect(u[given]?.[level(given, 'exact')]).toBeLessThan(expected * 1.07);
    for (const f of [given, nationalId]) {
      expect(u[f]?.reduce((t, p) => t + p, 0)).toBeCloseTo(1, 9);
      for (const p of u[f] ?? []) expect(p).toBeGreaterThan(0);
    }
  });

  it('leaves duplicates among the random pairs out, so an identifier stays strong evidence', () => {
    // Every person registered twice: 300 of the ~180,000 pairs are one person, agreeing on the id.
    const once = people(300, 3);
    const records = [...once, ...once];
    const patterns = countPatterns(pairsOf(records, pairCount(records.length), 4), FIELDS);
    const naive = estimateU(patterns, FIELDS, { prior: U0, priorPairs: 100 });
    const weighted = estimateU(patterns, FIELDS, {
      prior: U0,
      priorPairs: 100,
      matchProbability: (p) => matchPosterior(p, M0, U0, DEFAULT_MODEL.matchProbability),
    });
    const exact = level(nationalId, 'exact');
    expect(naive.u[nationalId]?.[exact]).toBeGreaterThan(1e-3); // 300 of ~180,000 pairs
    expect(weighted.u[nationalId]?.[exact]).toBeLessThan(1e-5);
    // Every duplicate pair is left out, and a few pairs that merely look alike count in part.
    expect(weighted.expectedMatches).toBeGreaterThan(297);
    expect(weighted.expectedMatches).toBeLessThan(360);
  });

  it('keeps the prior for a level never seen and for a field nobody holds', () => {
    const records = people(300, 5);
    const patterns = countPatterns(pairsOf(records, 5000, 6), FIELDS);
    const { u } = estimateU(patterns, FIELDS, { prior: U0, priorPairs: 1000 });
    const email = FIELDS.findIndex((f) => f.field === 'email');
    expect(u[email]).toEqual(U0[email]);
    // No two people share an id: u(exact id) is the prior's pseudo-count, small but above 0.
    const exact = u[nationalId]?.[level(nationalId, 'exact')] ?? 0;
    expect(exact).toBeGreaterThan(0);
    expect(exact).toBeLessThan(1e-5);
  });
});
