/**
 * Property: trained without labels on a generated population whose error rates are known, the
 * model recovers the m and u those rates imply, within a tolerance, whatever the seed and rates.
 * A population draws each name uniformly from a pool, so u(exact) is about 1 / pool size; a second
 * registration keeps its family name unless mistyped and its date unless replaced, so
 * m(exact) is 1 - that rate.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../defaultModel';
import type { ComparedField, MatchModel } from '../model';
import { normaliseRecord } from '../normaliseRecord';
import { generatePopulation } from '../testPopulation';
import { pairCount } from './random';
import { trainOnRecords } from './trainOnRecords';

/** How far a learned m(exact name) may be from the truth; without labels EM is a little off. */
const NAME_TOLERANCE = 0.08;

const level = (model: MatchModel, field: ComparedField, name: string) =>
  model.fields[field]?.levels.find((l) => l.level === name);

describe('training on a generated population', () => {
  it('recovers m and u of names and dates, and the match probability, within a tolerance', () => {
    fc.assert(
      fc.property(
        fc.record({
          seed: fc.integer({ min: 1, max: 1_000_000 }),
          familyTypo: fc.double({ min: 0.05, max: 0.4, noNaN: true }),
          dateReplaced: fc.double({ min: 0.02, max: 0.3, noNaN: true }),
          givenReplaced: fc.double({ min: 0.02, max: 0.2, noNaN: true }),
          givenNames: fc.integer({ min: 60, max: 300 }),
          familyNames: fc.integer({ min: 200, max: 1000 }),
        }),
        (p) => {
          const population = generatePopulation({ people: 1000, duplicateRate: 0.3, ...p });
          const records = population.map((r) => normaliseRecord(r.record));
          const people = new Map<number, number>();
          for (const r of population) people.set(r.person, (people.get(r.person) ?? 0) + 1);
          const truePairs = [...people.values()].reduce((n, k) => n + (k * (k - 1)) / 2, 0);
          const model = trainOnRecords(DEFAULT_MODEL, records, {
            version: 'recovered',
            seed: p.seed,
            randomPairs: 50_000,
          }).model;

          // m: the share of true pairs agreeing exactly.
          const familyExact = level(model, 'family_name', 'exact')!.m;
          expect(Math.abs(familyExact - (1 - p.familyTypo))).toBeLessThan(NAME_TOLERANCE);
          // A replaced date is most of what tells such a pair from strangers, so EM counts a few
          // of those pairs as strangers and leans m(exact date) up: a wider tolerance.
          const dateExact = level(model, 'date_of_birth', 'exact')!.m;
          expect(Math.abs(dateExact - (1 - p.dateReplaced))).toBeLessThan(0.1);
          // A replaced given name may draw the same one again.
          const givenKept = 1 - p.givenReplaced * (1 - 1 / p.givenNames);
          const givenExact = level(model, 'given_name', 'exact')!.m;
          expect(Math.abs(givenExact - givenKept)).toBeLessThan(NAME_TOLERANCE);
          // u: the chance two people drawn at random share the family name, in this population.
          const familyCount = new Map<string, number>();
          const firsts = population.filter((r) => r.record.external_id.endsWith('-0'));
          for (const r of firsts) {
            const name = r.record.family_name ?? '';
            familyCount.set(name, (familyCount.get(name) ?? 0) + 1);
          }
          const uTruth = [...familyCount.values()].reduce((a, c) => a + (c / firsts.length) ** 2, 0);
          const uFamily = level(model, 'family_name', 'exact')!.u;
          expect(uFamily / uTruth).toBeGreaterThan(0.6);
          expect(uFamily / uTruth).toBeLessThan(1.6);
          // Given names are few and common, so the decision weighs each by its own share (term
          // frequencies): each of the pool's names is about 1 / pool size of the records.
          const shares = Object.values(model.termFrequencies?.given_name?.values ?? {});
          const meanShare = shares.reduce((a, b) => a + b, 0) / shares.length;
          expect(meanShare * p.givenNames).toBeGreaterThan(0.7);
          expect(meanShare * p.givenNames).toBeLessThan(1.4);
          // The match probability of a random pair, within a quarter of the truth.
          const truth = truePairs / pairCount(records.length);
          expect(model.matchProbability / truth).toBeGreaterThan(0.75);
          expect(model.matchProbability / truth).toBeLessThan(1.25);
        },
      ),
      { numRuns: 3, seed: 20261203 },
    );
  }, 600_000);
});
