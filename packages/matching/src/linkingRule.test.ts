import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockingKeys } from './blockingKeys';
import { damerauLevenshtein } from './comparators';
import { decideRecord, DEFAULT_POLICY, type CandidateGolden } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import type { MatchModel, TermFrequencies } from './model';
import { normaliseRecord, type NormalisedRecord } from './normaliseRecord';
import { termFrequenciesOf } from './termFrequencies';
import { generatePopulation } from './testPopulation';
import { trainOnRecords } from './training/trainOnRecords';

const person = (given: string, family: string, dob: string) =>
  normaliseRecord({
    external_id: `${given}-${dob}`,
    source: 's',
    given_name: given,
    family_name: family,
    date_of_birth: dob,
    attributes: {},
  });

// Common names: a population where MUELLER and CHRISTIAN are frequent, as in German registers.
const POPULATION = generatePopulation({
  people: 1500,
  duplicateRate: 0.2,
  givenNames: 40,
  familyNames: 60,
  givenReplaced: 0.05,
  familyTypo: 0.15,
  dateReplaced: 0.05,
  seed: 7,
});
const LEARNED = trainOnRecords(
  DEFAULT_MODEL,
  POPULATION.map((p) => normaliseRecord(p.record)),
  { version: 'learned-on-population' },
).model;
const MODELS: Array<[string, MatchModel, TermFrequencies | undefined]> = [
  ['the defaults', DEFAULT_MODEL, undefined],
  ['a model learned on a population of common names', LEARNED, termFrequenciesOf(LEARNED)],
];

const golden = (id: string, ...members: NormalisedRecord[]): CandidateGolden => ({
  goldenId: id,
  members: members.map((normalised, i) => ({ recordId: `${id}-${i}`, normalised })),
});

/** Full dates at least two years apart whose digits differ by more than two keying errors. */
const yearsApart = fc
  .tuple(
    fc.date({ min: new Date('1920-01-01'), max: new Date('2005-12-31'), noInvalidDate: true }),
    fc.integer({ min: 2, max: 60 }),
    fc.integer({ min: 0, max: 364 }),
    fc.boolean(),
  )
  .map(([d, years, days, later]) => {
    const a = d.toISOString().slice(0, 10);
    const shift = (later ? 1 : -1) * (years * 365.25 + days) * 86_400_000;
    const b = new Date(d.getTime() + shift).toISOString().slice(0, 10);
    return [a, b] as const;
  })
  .filter(([a, b]) => damerauLevenshtein(a.replace(/-/g, ''), b.replace(/-/g, '')) > 2);

describe('the linking rule', () => {
  for (const [name, model, tf] of MODELS) {
    it(`under ${name}: the same common name with dates of birth years apart never links automatically`, () => {
      const given = POPULATION[0]!.record.given_name!;
      const family = POPULATION[0]!.record.family_name!;
      fc.assert(
        fc.property(yearsApart, ([a, b]) => {
          const decision = decideRecord(
            person(given, family, b),
            [golden('g', person(given, family, a))],
            model,
            DEFAULT_POLICY,
            tf,
          );
          expect(decision.kind).not.toBe('link');
        }),
        { numRuns: 200 },
      );
    });
  }

  // One household: a family name and a full address in common are what its members share,
  // so together they say "same household", not "same person"; the date of birth tells its
  // members apart (a father and his son of the same name, a mother and her daughter).
  const household = fc.record({
    given: fc.constantFrom('JOHN', 'MARY', 'CHRISTIAN', 'MICHAEL', 'SARAH', 'DAVID'),
    other: fc.constantFrom('PETER', 'ANNA', 'SABINE', 'THOMAS', 'EMILY', 'JAMES'),
    family: fc.constantFrom('SMITH', 'MUELLER', 'JONES', 'BROWN', 'WILLIAMS'),
    number: fc.integer({ min: 1, max: 400 }).map(String),
    street: fc.constantFrom('HIGH STREET', 'STATION ROAD', 'CHURCH LANE', 'MAIN STREET'),
    locality: fc.constantFrom('SPRINGFIELD', 'RIVERSIDE', 'OAKLEY', 'KINGSTON'),
    postcode: fc.integer({ min: 1000, max: 9999 }).map(String),
    state: fc.constantFrom('nsw', 'vic', 'qld'),
  });
  const resident = (
    h: { family: string; number: string; street: string; locality: string; postcode: string; state: string },
    given: string,
    dob: string,
  ) =>
    normaliseRecord({
      external_id: `${given}-${dob}`,
      source: 's',
      given_name: given,
      family_name: h.family,
      date_of_birth: dob,
      street_number: h.number,
      street: h.street,
      locality: h.locality,
      postcode: h.postcode,
      state: h.state,
      attributes: {},
    });
  for (const [name, model, tf] of MODELS) {
    it(`under ${name}: members of one household (family name and full address alike, another given name, dates years apart) never link automatically`, () => {
      fc.assert(
        fc.property(household, yearsApart, (h, [a, b]) => {
          const decision = decideRecord(
            resident(h, h.other, b),
            [golden('g', resident(h, h.given, a))],
            model,
            DEFAULT_POLICY,
            tf,
          );
          expect(decision.kind).not.toBe('link');
        }),
        { numRuns: 200 },
      );
    });
  }

  // A housemate with no date of birth on record: the given name is all that is the person's own,
  // and it differs. This still links: the rule that would send it to review was measured and not
  // taken (docs/decisions/0057-rldata-dates-and-housemates-without-a-date.md, "Housemates without
  // a date"); when a change closes the gap, this test is the one to turn around.
  it('the known gap: a housemate with another given name and no date of birth still links under the defaults', () => {
    const h = {
      family: 'SMITH',
      number: '12',
      street: 'HIGH STREET',
      locality: 'SPRINGFIELD',
      postcode: '2000',
      state: 'nsw',
    };
    const { dob: _dob, ...mary } = resident(h, 'MARY', '1950-03-04');
    const peter = resident(h, 'PETER', '1980-07-09');
    const decision = decideRecord(mary, [golden('g', peter)], DEFAULT_MODEL, DEFAULT_POLICY);
    const given = decision.explanation.fields.find((f) => f.field === 'given_name');
    expect(given?.level).toBe('different');
    expect(decision.kind).toBe('link');
  });

  it('a date of birth years apart is overruled by a national id or e-mail the two records share, and by a date another member agrees on', () => {
    const h = {
      family: 'SMITH',
      number: '12',
      street: 'HIGH STREET',
      locality: 'SPRINGFIELD',
      postcode: '2000',
      state: 'nsw',
    };
    const withId = (r: NormalisedRecord, id: string): NormalisedRecord => ({ ...r, national_id: id });
    const mary = resident(h, 'MARY', '1950-03-04');
    const peter = resident(h, 'PETER', '1980-07-09');
    const vetoed = decideRecord(peter, [golden('g', mary)], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(vetoed.kind).toBe('review');
    expect(vetoed.explanation.rule).toBe('date_of_birth_years_apart');
    expect(vetoed.explanation.candidates[0]?.datesApart?.recordId).toBe('g-0');
    // One national id: a replaced date and given name of one person, not a household.
    const sameId = decideRecord(
      withId(peter, '123456789'),
      [golden('g', withId(mary, '123456789'))],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(sameId.kind).toBe('link');
    // Another member holds the record's own date: the golden record already is that person.
    const both = decideRecord(peter, [golden('g', mary, peter)], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(both.kind).toBe('link');
    // A date years apart under the same given name is weighed, not vetoed (a replaced date).
    const same = decideRecord(
      resident(h, 'MARY', '1980-07-09'),
      [golden('g', mary)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(same.explanation.rule).not.toBe('date_of_birth_years_apart');
  });

  it('CHRISTIAN MUELLER 2005 does not join the golden record of CHRISTIAN MUELLER 1939 through its best member', () => {
    const [given, family] = [POPULATION[1]!.record.given_name!, POPULATION[1]!.record.family_name!];
    const cases: Array<[MatchModel, TermFrequencies | undefined, string, string]> = [
      [DEFAULT_MODEL, undefined, 'CHRISTIAN', 'MUELLER'],
      // Under the learned model, with a name as common in its population as MUELLER is in Germany.
      [LEARNED, termFrequenciesOf(LEARNED), given, family],
    ];
    for (const [model, tf, g, f] of cases) {
      const members = golden('g', person(g, f, '1939-04-03'), person(g, f, '1939-04-03'));
      const decision = decideRecord(person(g, f, '2005-12-12'), [members], model, DEFAULT_POLICY, tf);
      expect(decision.kind).not.toBe('link');
    }
  });

  it('a member that contradicts the record lowers the golden record score by its evidence, shown in the explanation', () => {
    // The record resembles one member (same name, no date) while another member's date is decades off.
    const record = person('CHRISTIAN', 'MUELLER', '1939-04-03');
    const alike = normaliseRecord({
      external_id: 'x',
      source: 's',
      given_name: 'CHRISTIAN',
      family_name: 'MUELLER',
      attributes: {},
    });
    const alone = decideRecord(record, [golden('g', alike)], DEFAULT_MODEL, DEFAULT_POLICY);
    const other = person('KLAUS', 'MUELLER', '2005-12-12');
    const withOther = decideRecord(record, [golden('g', alike, other)], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(withOther.score).toBeLessThan(alone.score);
    const candidate = withOther.explanation.candidates[0]!;
    expect(candidate.against?.evidence).toBeLessThan(0);
    expect(candidate.score).toBeCloseTo((candidate.memberScore ?? 0) + (candidate.against?.evidence ?? 0), 9);
  });

  it('on generated populations, adding a record never makes a golden record span a person it did not', () => {
    for (const seed of [11, 12]) {
      const population = generatePopulation({
        people: 300,
        duplicateRate: 0.3,
        givenNames: 150,
        familyNames: 300,
        givenReplaced: 0.05,
        familyTypo: 0.2,
        dateReplaced: 0.05,
        seed,
      });
      const normalised = population.map((p) => normaliseRecord(p.record));
      const model = trainOnRecords(DEFAULT_MODEL, normalised, { version: `population-${seed}` }).model;
      const tf = termFrequenciesOf(model);
      const members = new Map<string, Array<{ recordId: string; normalised: NormalisedRecord }>>();
      const people = new Map<string, Set<number>>();
      const byKey = new Map<string, Set<string>>();
      normalised.forEach((n, i) => {
        const keys = blockingKeys(n);
        const ids = new Set<string>();
        for (const k of keys) for (const g of byKey.get(k) ?? []) ids.add(g);
        const candidates = [...ids].map((goldenId) => ({ goldenId, members: members.get(goldenId) ?? [] }));
        const decision = decideRecord(n, candidates, model, DEFAULT_POLICY, tf);
        const who = population[i]!.person;
        let goldenId: string | undefined;
        if (decision.kind === 'link') {
          goldenId = decision.goldenId;
          // The golden record held this person already: linking adds no one new to it.
          expect(people.get(goldenId)).toContain(who);
        } else if (decision.kind === 'new') {
          goldenId = `g${i}`;
          members.set(goldenId, []);
          people.set(goldenId, new Set([who]));
        }
        if (goldenId === undefined) return;
        members.get(goldenId)!.push({ recordId: String(i), normalised: n });
        for (const k of keys) byKey.set(k, (byKey.get(k) ?? new Set()).add(goldenId));
      });
    }
  }, 240_000);
});
