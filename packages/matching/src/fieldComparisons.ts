/**
 * Comparison levels of each field: the first level whose test passes, from the strongest
 * agreement down to "different"; "missing" when either side lacks the value. The level names
 * are the keys of the model's m/u tables (model.ts, defaultModel.ts).
 */
import { streetName } from './addresses';
import { damerauLevenshtein, jaroWinkler } from './comparators';
import { daysBetween, isoDate, type NormalisedDate } from './dates';
import { emailLocalPart } from './emails';
import { MISSING, type ComparedField } from './model';
import type { NormalisedRecord } from './normaliseRecord';

export interface FieldComparison {
  level: string;
  left: string | null;
  right: string | null;
  /** The agreed value, for term-frequency adjustment of an exact level. */
  value?: string;
}

// The comparisons are not memoised, though values repeat: looking up the pair of values cost as
// much as Jaro-Winkler of two short names, and more in training
// (docs/decisions/0060-field-comparisons-not-memoised.md).
const CLOSE = 0.92;
const SIMILAR = 0.8;

function intersects(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  // A loop, not a.some(...): no closure for every pair compared.
  for (const x of a) if (b.includes(x)) return true;
  return false;
}

type Cross = 'close' | 'similar' | 'missing' | 'no';

function cross(x: string | undefined, y: string | undefined): Cross {
  if (x === undefined || y === undefined) return 'missing';
  const jw = x === y ? 1 : jaroWinkler(x, y);
  return jw >= CLOSE ? 'close' : jw >= SIMILAR ? 'similar' : 'no';
}

/**
 * Given and family names written in each other's place: one crossed pair agrees closely and
 * the other at least loosely (or is absent, as when one source left the given name empty).
 */
function namesSwapped(a: NormalisedRecord, b: NormalisedRecord): boolean {
  if (a.given === b.given && a.given !== undefined) return false;
  const one = cross(a.given, b.family);
  const two = cross(a.family, b.given);
  return (one === 'close' && two !== 'no') || (two === 'close' && one !== 'no');
}

function compareGiven(a: NormalisedRecord, b: NormalisedRecord, x: string, y: string): string {
  if (x === y) return 'exact';
  if (intersects(a.givenRoots, b.givenRoots)) return 'nickname';
  const jw = jaroWinkler(x, y);
  if (jw >= CLOSE) return 'close';
  if (namesSwapped(a, b)) return 'swapped';
  if (intersects(a.givenCodes, b.givenCodes)) return 'phonetic';
  if (jw >= SIMILAR) return 'similar';
  if ((x.length === 1 || y.length === 1) && x[0] === y[0]) return 'initial';
  return 'different';
}

function compareFamily(a: NormalisedRecord, b: NormalisedRecord, x: string, y: string): string {
  if (x === y) return 'exact';
  const jw = jaroWinkler(x, y);
  if (jw >= CLOSE) return 'close';
  if (namesSwapped(a, b)) return 'swapped';
  if (intersects(a.familyCodes, b.familyCodes)) return 'phonetic';
  if (jw >= SIMILAR) return 'similar';
  return 'different';
}

function compareMiddle(x: string, y: string): string {
  if (x === y) return 'exact';
  if ((x.length === 1 || y.length === 1) && x[0] === y[0]) return 'initial';
  return jaroWinkler(x, y) >= CLOSE ? 'close' : 'different';
}

/**
 * At module level, not a local arrow function: the TypeScript loader keeps function names by
 * wrapping each named arrow in a call that defines its name, once per call of the enclosing
 * function, and compareDates runs for every pair.
 */
function partial(d: NormalisedDate): boolean {
  return d.precision === 'year' || d.precision === 'month';
}

function compareDates(x: NormalisedDate, y: NormalisedDate): string {
  if (x.precision === 'day' && y.precision === 'day' && x.digits === y.digits) return 'exact';
  if (partial(x) || partial(y)) {
    if (x.precision === 'invalid' || y.precision === 'invalid') return 'different';
    const n = Math.min(x.digits.length, y.digits.length);
    if (x.digits.slice(0, n) !== y.digits.slice(0, n)) return 'different';
    return n >= 6 ? 'same_month' : 'same_year';
  }
  if (x.year === y.year && x.day !== x.month && x.day === y.month && x.month === y.day)
    return 'swapped_day_month';
  const edits = damerauLevenshtein(x.digits, y.digits);
  if (edits <= 1) return 'typo';
  const days = daysBetween(x, y);
  if (days !== undefined && days <= 31) return 'within_month';
  if (edits <= 2) return 'two_typos';
  if (days !== undefined && days <= 366) return 'within_year';
  // Day and month agree, the year is years off: a year replaced or mistyped beyond two digits
  // (1959-04-07 and 2008-04-07), or two people born on one day of the year. Kept apart from
  // `different` so that EM can learn which of the two it is on the data at hand.
  if (x.month === y.month && x.day === y.day) return 'same_day_and_month';
  return 'different';
}

function compareIdentifier(x: string, y: string): string {
  if (x === y) return 'exact';
  const edits = damerauLevenshtein(x, y);
  if (edits <= 1) return 'typo';
  return edits <= 2 && Math.min(x.length, y.length) >= 6 ? 'two_typos' : 'different';
}

function compareEmail(x: string, y: string): string {
  if (x === y) return 'exact';
  if (emailLocalPart(x) === emailLocalPart(y)) return 'same_local_part';
  return jaroWinkler(x, y) >= CLOSE ? 'close' : 'different';
}

function compareText(x: string, y: string): string {
  if (x === y) return 'exact';
  const jw = jaroWinkler(x, y);
  if (jw >= CLOSE) return 'close';
  return jw >= SIMILAR ? 'similar' : 'different';
}

function compareStreet(x: string, y: string): string {
  if (x === y) return 'exact';
  const level = compareText(streetName(x), streetName(y));
  return level === 'exact' ? 'close' : level;
}

function compareExact(x: string, y: string): string {
  return x === y ? 'exact' : 'different';
}

function compareTypo(x: string, y: string): string {
  if (x === y) return 'exact';
  return damerauLevenshtein(x, y) <= 1 ? 'typo' : 'different';
}

type Comparer = (a: NormalisedRecord, b: NormalisedRecord) => FieldComparison;

function text(
  pick: (r: NormalisedRecord) => string | undefined,
  level: (x: string, y: string, a: NormalisedRecord, b: NormalisedRecord) => string,
): Comparer {
  return (a, b) => {
    const x = pick(a);
    const y = pick(b);
    if (x === undefined || y === undefined) return { level: MISSING, left: x ?? null, right: y ?? null };
    // Built whole, not given `value` afterwards: one shape per literal, no transition per pair.
    const l = level(x, y, a, b);
    return x === y ? { level: l, left: x, right: y, value: x } : { level: l, left: x, right: y };
  };
}

/**
 * A date as the explanation shows it, once per date: a member's date is shown beside every
 * record it is compared with, and each showing built the text anew. A normalised record is
 * never changed once made, so its date's text cannot go stale.
 */
const dateTexts = new WeakMap<NormalisedDate, string>();

function dateText(d: NormalisedDate): string {
  let text = dateTexts.get(d);
  if (text === undefined) {
    text = isoDate(d) ?? d.digits;
    dateTexts.set(d, text);
  }
  return text;
}

export const FIELD_COMPARERS: Readonly<Record<ComparedField, Comparer>> = {
  given_name: text(
    (r) => r.given,
    (x, y, a, b) => compareGiven(a, b, x, y),
  ),
  middle_name: text((r) => r.middle, compareMiddle),
  family_name: text(
    (r) => r.family,
    (x, y, a, b) => compareFamily(a, b, x, y),
  ),
  date_of_birth: (a, b) => {
    if (a.dob === undefined || b.dob === undefined) {
      return { level: MISSING, left: a.dob ? dateText(a.dob) : null, right: b.dob ? dateText(b.dob) : null };
    }
    const level = compareDates(a.dob, b.dob);
    const left = dateText(a.dob);
    const right = dateText(b.dob);
    return level === 'exact' ? { level, left, right, value: left } : { level, left, right };
  },
  gender: text((r) => r.gender, compareExact),
  national_id: text((r) => r.national_id, compareIdentifier),
  email: text((r) => r.email, compareEmail),
  phone: text((r) => r.phone, compareTypo),
  street_number: text((r) => r.street_number, compareExact),
  street: text((r) => r.street, compareStreet),
  locality: text((r) => r.locality, compareText),
  city: text((r) => r.city, compareText),
  postcode: text((r) => r.postcode, compareTypo),
  state: text((r) => r.state, compareExact),
  country: text((r) => r.country, compareExact),
  birth_place: text((r) => r.birth_place, compareText),
};
