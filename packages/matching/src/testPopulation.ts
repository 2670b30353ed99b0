/**
 * Generated populations with known truth and known error rates, for the property tests of the
 * linking rule and of training: people drawn from name pools (small pools make common names),
 * some registered twice with errors at set rates. Seeded: the same seed gives the same people.
 */
import type { CanonicalRecord } from '@nexus/schema';
import { seededRandom, type Random } from './training/random';

export interface PopulationOptions {
  people: number;
  /** Share of people registered a second time. */
  duplicateRate: number;
  givenNames: number;
  familyNames: number;
  /** Error rates of a second registration. */
  givenReplaced: number;
  familyTypo: number;
  dateReplaced: number;
  seed: number;
}

export interface PersonRecord {
  person: number;
  record: CanonicalRecord;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function word(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += LETTERS[Math.floor(random() * LETTERS.length)];
  return out;
}

/** Distinct made-up names of 6 to 8 letters. */
function pool(random: Random, size: number): string[] {
  const names = new Set<string>();
  while (names.size < size) names.add(word(random, 6 + Math.floor(random() * 3)));
  return [...names];
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** A date of birth between 1930 and 2005, as YYYY-MM-DD. */
export function randomDate(random: Random): string {
  const day = Math.floor(random() * 365 * 75);
  return new Date(Date.UTC(1930, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
}

/** One letter of the name replaced by another. */
function typo(random: Random, name: string): string {
  const at = 1 + Math.floor(random() * (name.length - 1));
  const replacement = LETTERS[(LETTERS.indexOf(name[at] ?? 'a') + 1 + Math.floor(random() * 25)) % 26] ?? 'a';
  return name.slice(0, at) + replacement + name.slice(at + 1);
}

export function generatePopulation(options: PopulationOptions): PersonRecord[] {
  const random = seededRandom(options.seed);
  const given = pool(random, options.givenNames);
  const family = pool(random, options.familyNames);
  const out: PersonRecord[] = [];
  for (let person = 0; person < options.people; person++) {
    const base = {
      given_name: pick(random, given),
      family_name: pick(random, family),
      date_of_birth: randomDate(random),
    };
    out.push({
      person,
      record: { external_id: `p${person}-0`, source: 'generated', attributes: {}, ...base },
    });
    if (random() >= options.duplicateRate) continue;
    const second = { ...base };
    if (random() < options.givenReplaced) second.given_name = pick(random, given);
    if (random() < options.familyTypo) second.family_name = typo(random, second.family_name);
    if (random() < options.dateReplaced) second.date_of_birth = randomDate(random);
    out.push({
      person,
      record: { external_id: `p${person}-1`, source: 'generated', attributes: {}, ...second },
    });
  }
  // Second registrations arrive later, mixed among the others.
  const firsts = out.filter((r) => r.record.external_id.endsWith('-0'));
  const seconds = out.filter((r) => r.record.external_id.endsWith('-1'));
  return [
    ...firsts.slice(0, Math.floor(firsts.length / 2)),
    ...seconds,
    ...firsts.slice(Math.floor(firsts.length / 2)),
  ];
}
