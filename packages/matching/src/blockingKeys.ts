/**
 * Blocking keys: a record is compared only with golden records that share at least one key, so
 * the keys must catch nearly every true pair (each key survives the errors that break another)
 * while no key is shared by a large share of the population. Every key is prefixed by its kind;
 * the engine also takes advisory locks on them, so a record has at most about a dozen.
 *
 *   nid:  national id            em: e-mail          ph: phone
 *   n:    given|family codes (order-free, so swapped names still meet)
 *   fy:   family code|birth year       gd: given code|full birth date
 *   df:   birth date|family initial    dg: birth date|given initial
 *   dp:   birth date|postcode or locality or city (for records whose names are missing or garbled)
 *   ad:   postcode|street number|street code       gp: given code|family initial|postcode
 *   bf/bg: family / given code|birth place          fi: family code|given initial
 *   gi:   given code|family initial (a typo in the family name, no date)
 *   A lone name (given or family alone) is either: it also makes the other part's keys, since
 *   sources write a surname alone in the given-name column ("chitty", born in dacorum) as often
 *   as in its own.
 */
import { blindIdentifier } from './identifierBlinding';
import { streetName } from './addresses';
import { emailLocalPart } from './emails';
import { phoneticCodes } from './names';
import type { NormalisedRecord } from './normaliseRecord';

/** The engine locks every key of a record; beyond this the least specific keys are dropped. */
export const MAX_KEYS = 12;
/** Identifiers shorter than this are too likely to be shared by strangers ("0", "na"). */
const MIN_IDENTIFIER_LENGTH = 4;

/** A nickname blocks with its formal name: bob and robert meet under ROBERT's code. */
function formalCode(n: NormalisedRecord): string | undefined {
  const formal = n.givenRoots?.find((r) => r !== n.given);
  if (formal === undefined) return n.givenCodes?.[0] ?? n.given;
  return phoneticCodes(formal)[0] ?? formal;
}

function fullDate(n: NormalisedRecord): string | undefined {
  const d = n.dob;
  return d !== undefined && (d.precision === 'day' || (d.precision === 'invalid' && d.digits.length === 8))
    ? d.digits
    : undefined;
}

/**
 * The keys of a record's identifiers (normalised values). Identifiers are encrypted at rest, so
 * their keys hold blind indexes (keyed hashes) that meet exactly as the values do; the values
 * themselves when encryption is off (docs/decisions/0049-encryption-at-rest.md). Also how a
 * search by identifier finds records without reading their encrypted values.
 */
export function identifierKeys(n: Pick<NormalisedRecord, 'national_id' | 'email' | 'phone'>): string[] {
  const keys: string[] = [];
  if (n.national_id !== undefined && n.national_id.length >= MIN_IDENTIFIER_LENGTH) {
    keys.push(`nid:${blindIdentifier('nid', n.national_id)}`);
  }
  if (n.email?.includes('@') === true) {
    // A distinctive mailbox name survives a mistyped domain; a short one needs its domain.
    const local = emailLocalPart(n.email);
    if (local.length >= MIN_IDENTIFIER_LENGTH) keys.push(`el:${blindIdentifier('el', local)}`);
    else keys.push(`em:${blindIdentifier('em', n.email)}`);
  }
  if (n.phone !== undefined && n.phone !== '') keys.push(`ph:${blindIdentifier('ph', n.phone)}`);
  return keys;
}

export function blockingKeys(n: NormalisedRecord): string[] {
  const keys: string[] = identifierKeys(n);
  const add = (...parts: Array<string | number | undefined>) => {
    if (parts.some((p) => p === undefined || p === '')) return;
    keys.push(parts.join(''));
  };

  const givenCode = n.givenCodes?.[0] ?? n.given;
  const familyCode = n.familyCodes?.[0] ?? n.family;
  // One name alone says nothing of its role: it blocks as both given and family name.
  const lone = (n.given === undefined) !== (n.family === undefined);
  const given = givenCode ?? (lone ? familyCode : undefined);
  const formal = formalCode(n) ?? (lone ? familyCode : undefined);
  const family = familyCode ?? (lone ? givenCode : undefined);
  const date = fullDate(n);
  const year = n.dob?.year;
  const place = n.postcode ?? n.locality ?? n.city;
  if (givenCode !== undefined && familyCode !== undefined) add('n:', [given, family].sort().join('|'));
  if (n.given !== undefined && n.family !== undefined) {
    add('np:', [n.given.slice(0, 3), n.family.slice(0, 3)].sort().join('|'));
  }
  add('fy:', family, '|', year);
  add('gy:', formal, '|', year);
  add('d:', date);
  add('yp:', year, '|', place);
  if (n.street !== undefined) {
    const street = phoneticCodes(streetName(n.street).replace(/\s+/g, ''))[0];
    add('sp:', street, '|', n.postcode ?? n.locality);
  }
  add('gp:', formal, '|', place);
  add('fp:', family, '|', place);
  add('md:', family, '|', date?.slice(4));
  add('md:', formal, '|', date?.slice(4));
  // Where someone was born outlasts a move, a new postcode and a garbled date.
  add('bf:', family, '|', n.birth_place);
  add('bg:', formal, '|', n.birth_place);
  // A family name with the given name's first letter: catches an initial or a nickname that
  // keeps its letter, when neither date nor place survived.
  add('fi:', familyCode, '|', n.given?.[0]);
  // And the other way round: a family name mistyped ("hsldane") where no date is left.
  add('gi:', formal, '|', n.family?.[0]);
  return [...new Set(keys)].slice(0, MAX_KEYS);
}
