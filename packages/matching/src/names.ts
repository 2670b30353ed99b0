/**
 * Person-name normalisation.
 *
 * Phonetic codes come from the `double-metaphone` package (wooorm): a maintained, dependency-free
 * ESM implementation with types, and Double Metaphone handles non-English surnames (Slavic,
 * Germanic, Romance spellings) far better than Soundex or plain Metaphone, while its codes stay
 * short enough to serve as blocking keys.
 */
import { doubleMetaphone } from 'double-metaphone';
import { foldWords } from './fold';
import { nameRoots } from './nicknames';

/** Surname particles that one source writes and another drops ("van der Berg" / "Berg"). */
const PARTICLES = new Set([
  'van',
  'von',
  'der',
  'den',
  'ter',
  'ten',
  'de',
  'del',
  'della',
  'dela',
  'di',
  'da',
  'das',
  'dos',
  'do',
  'du',
  'des',
  'la',
  'le',
  'lo',
  'bin',
  'ibn',
  'bint',
  'al',
  'el',
]);
/** Generational suffixes: they say which family member, not how the name is spelt. */
const SUFFIXES = new Set(['jr', 'jnr', 'junior', 'sr', 'snr', 'senior', 'ii', 'iii', 'iv', '2nd', '3rd']);
/**
 * Titles, honorifics, ranks of nobility and their ordinals ("1st baron"): they say what a person
 * was called, not who; "sir" or "baronet" taken as a name would make every knight one person.
 */
const TITLES = new Set([
  'mr',
  'mrs',
  'ms',
  'miss',
  'mx',
  'dr',
  'prof',
  'professor',
  'sir',
  'dame',
  'lord',
  'lady',
  'rev',
  'revd',
  'reverend',
  'fr',
  'hon',
  'honourable',
  'rt',
  'baron',
  'baroness',
  'baronet',
  'bt',
  'bart',
  'earl',
  'countess',
  'viscount',
  'viscountess',
  'marquess',
  'marquis',
  'marchioness',
  'duke',
  'duchess',
  'knight',
  'kt',
  'kbe',
  'obe',
  'mbe',
  'cbe',
  'capt',
  'captain',
  'col',
  'colonel',
  'gen',
  'general',
  'maj',
  'major',
  'lt',
  'lieutenant',
  'sgt',
  'admiral',
]);
const ORDINAL = /^\d+(st|nd|rd|th)$/;

/** A title, honorific or ordinal: never part of a name. */
export function isTitle(word: string): boolean {
  return TITLES.has(word) || ORDINAL.test(word);
}

export interface NormalisedName {
  given?: string;
  middle?: string;
  family?: string;
  /** The given name and every formal name it may be a nickname of. */
  givenRoots?: string[];
  /** Double Metaphone codes (primary, then alternate when it differs). */
  givenCodes?: string[];
  familyCodes?: string[];
}

export interface NameParts {
  given_name?: string;
  middle_name?: string;
  family_name?: string;
  full_name?: string;
}

function dropAffixes(words: string[]): string[] {
  const named = words.filter((w) => !isTitle(w));
  let end = named.length;
  while (end > 1 && SUFFIXES.has(named[end - 1] ?? '')) end--;
  return named.slice(0, end);
}

/**
 * A peerage style ("thomas clifford, 1st baron clifford of chudleigh"): after the comma comes a
 * title, not the given names of a "Family, Given" name.
 */
function isStyle(text: string): boolean {
  const first = foldWords(text)[0];
  return first !== undefined && isTitle(first);
}

/** "baron clifford of chudleigh": the words from a territorial "of" on name a place. */
function beforeTerritory(words: string[]): string[] {
  const of = words.indexOf('of', 1);
  return of > 0 ? words.slice(0, of) : words;
}

/** Folded family name without particles (kept when nothing else is left), words joined. */
export function normaliseFamilyName(value: string): string | undefined {
  const words = dropAffixes(foldWords(value));
  const core = words.filter((w) => !PARTICLES.has(w));
  const kept = core.length > 0 ? core : words;
  if (kept.length === 0) return undefined;
  // Letters written apart can join into a title ("M r" -> "mr"), which is never a name: what
  // comes out must be a name that normalising again keeps.
  const joined = kept.join('');
  return dropAffixes([joined]).length === 0 ? undefined : joined;
}

/** Folded given name split into the first name and whatever follows it (treated as middle). */
export function normaliseGivenName(value: string): { given?: string; middle?: string } {
  const words = dropAffixes(foldWords(value));
  const [first, ...rest] = words;
  return { given: first, middle: rest.length > 0 ? rest.join(' ') : undefined };
}

/** "Family, Given Middle" or "Given Middle [particles] Family". */
export function splitFullName(value: string): { given?: string; middle?: string; family?: string } {
  const comma = value.indexOf(',');
  if (comma >= 0 && isStyle(value.slice(comma + 1))) return splitFullName(value.slice(0, comma));
  if (comma >= 0) {
    const family = normaliseFamilyName(value.slice(0, comma));
    return { ...normaliseGivenName(value.slice(comma + 1)), family };
  }
  const words = dropAffixes(beforeTerritory(foldWords(value)));
  if (words.length === 0) return {};
  if (words.length === 1) return { given: words[0] };
  let familyStart = words.length - 1;
  while (familyStart > 1 && PARTICLES.has(words[familyStart - 1] ?? '')) familyStart--;
  const middle = words.slice(1, familyStart).join(' ');
  return {
    given: words[0],
    middle: middle === '' ? undefined : middle,
    family: normaliseFamilyName(words.slice(familyStart).join(' ')),
  };
}

/** Distinct non-empty Double Metaphone codes of a folded name. */
export function phoneticCodes(name: string): string[] {
  const letters = name.replace(/[^a-z]/g, '');
  if (letters === '') return [];
  const [primary, alternate] = doubleMetaphone(letters);
  return [...new Set([primary, alternate])].filter((c) => c !== '');
}

/** Given, middle and family names, filled from full_name for whatever the record lacks. */
export function normaliseName(parts: NameParts): NormalisedName {
  const givenParts = parts.given_name === undefined ? {} : normaliseGivenName(parts.given_name);
  let given = givenParts.given;
  let middle = givenParts.middle;
  if (parts.middle_name !== undefined) {
    const words = foldWords(parts.middle_name);
    if (words.length > 0) middle = words.join(' ');
  }
  let family = parts.family_name === undefined ? undefined : normaliseFamilyName(parts.family_name);
  if (parts.full_name !== undefined && (given === undefined || family === undefined)) {
    const full = splitFullName(parts.full_name);
    given ??= full.given;
    middle ??= full.middle;
    family ??= full.family;
  }
  const out: NormalisedName = {};
  if (given !== undefined) {
    out.given = given;
    out.givenRoots = nameRoots(given);
    const codes = phoneticCodes(given);
    if (codes.length > 0) out.givenCodes = codes;
  }
  if (middle !== undefined) out.middle = middle;
  if (family !== undefined) {
    out.family = family;
    const codes = phoneticCodes(family);
    if (codes.length > 0) out.familyCodes = codes;
  }
  return out;
}
