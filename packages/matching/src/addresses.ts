/**
 * Postal address parts. Street types are folded to one short form (street/str/st -> st) so that
 * "12 Smith Street" and "12 smith st." agree exactly; a street type glued to the name
 * ("pridhamstreet") is split off first, since dropped spaces are a common keying error.
 */
import { foldWords } from './fold';

const STREET_TYPES: Readonly<Record<string, string>> = {
  street: 'st',
  str: 'st',
  strt: 'st',
  st: 'st',
  saint: 'st',
  road: 'rd',
  rd: 'rd',
  avenue: 'ave',
  av: 'ave',
  ave: 'ave',
  avn: 'ave',
  drive: 'dr',
  drv: 'dr',
  dr: 'dr',
  place: 'pl',
  pl: 'pl',
  court: 'ct',
  crt: 'ct',
  ct: 'ct',
  crescent: 'cres',
  cresc: 'cres',
  cres: 'cres',
  cr: 'cres',
  lane: 'ln',
  ln: 'ln',
  terrace: 'tce',
  terr: 'tce',
  tce: 'tce',
  ter: 'tce',
  boulevard: 'blvd',
  blvd: 'blvd',
  bvd: 'blvd',
  circuit: 'cct',
  cct: 'cct',
  close: 'cl',
  cl: 'cl',
  parade: 'pde',
  pde: 'pde',
  highway: 'hwy',
  hwy: 'hwy',
  square: 'sq',
  sq: 'sq',
  grove: 'gr',
  gr: 'gr',
  grv: 'gr',
  parkway: 'pkwy',
  pkwy: 'pkwy',
  esplanade: 'esp',
  esp: 'esp',
  circle: 'cir',
  cir: 'cir',
  mount: 'mt',
  mt: 'mt',
  north: 'n',
  south: 's',
  east: 'e',
  west: 'w',
  apartment: 'apt',
  apt: 'apt',
  unit: 'unit',
  flat: 'flat',
};
const TYPE_WORDS = new Set(Object.values(STREET_TYPES));
/** Long street types that may arrive glued to the street name. */
const GLUED = ['street', 'road', 'avenue', 'place', 'drive', 'crescent', 'terrace', 'parade', 'circuit'];
const MIN_GLUED_PREFIX = 3;

function unglue(words: string[]): string[] {
  const last = words[words.length - 1];
  if (last === undefined) return words;
  for (const type of GLUED) {
    if (last.length >= type.length + MIN_GLUED_PREFIX && last.endsWith(type)) {
      return [...words.slice(0, -1), last.slice(0, -type.length), type];
    }
  }
  return words;
}

/** Folded street line with street types in their short form. */
export function normaliseStreet(value: string): string | undefined {
  const words = unglue(foldWords(value)).map((w) => STREET_TYPES[w] ?? w);
  return words.length === 0 ? undefined : words.join(' ');
}

/** The street line without its type words: the part that tells two streets apart. */
export function streetName(street: string): string {
  const words = street.split(' ').filter((w) => !TYPE_WORDS.has(w));
  return words.length > 0 ? words.join(' ') : street;
}

/** House number and any letter or range, without spaces or punctuation ("12 A" -> "12a"). */
export function normaliseStreetNumber(value: string): string | undefined {
  const text = foldWords(value).join('');
  return text === '' ? undefined : text;
}

/** Postcodes compare without spaces or punctuation ("SW1A 1AA" -> "sw1a1aa"). */
export function normalisePostcode(value: string): string | undefined {
  const text = foldWords(value).join('');
  return text === '' ? undefined : text;
}

const STATES: Readonly<Record<string, string>> = {
  'new south wales': 'nsw',
  victoria: 'vic',
  queensland: 'qld',
  'south australia': 'sa',
  'western australia': 'wa',
  tasmania: 'tas',
  'northern territory': 'nt',
  'australian capital territory': 'act',
};

/** Folded state or region; Australian state names are folded to their usual abbreviation. */
export function normaliseState(value: string): string | undefined {
  const text = foldWords(value).join(' ');
  if (text === '') return undefined;
  return STATES[text] ?? text;
}

/** Folded locality, city, country or place name. */
export function normalisePlace(value: string): string | undefined {
  const text = foldWords(value).join(' ');
  return text === '' ? undefined : text;
}
