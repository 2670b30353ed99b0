import { seededRandom as prng, type CanonicalRecord, required } from '@nexus/schema';

/** The same seed gives the same population everywhere. */
export { prng };

const GIVEN = [
  'james',
  'mary',
  'robert',
  'patricia',
  'john',
  'jennifer',
  'michael',
  'linda',
  'william',
  'elizabeth',
  'david',
  'barbara',
  'richard',
  'susan',
  'joseph',
  'jessica',
  'thomas',
  'sarah',
  'charles',
  'karen',
  'amina',
  'chidi',
  'fatima',
  'oluwaseun',
  'wei',
  'mei',
  'hiroshi',
  'yuki',
  'carlos',
  'lucia',
  'ahmed',
  'leila',
  'ivan',
  'olga',
  'pierre',
  'amelie',
  'raj',
  'priya',
  'kwame',
  'ama',
  'sofia',
  'mateo',
  'noah',
  'emma',
  'liam',
  'olivia',
  'lucas',
  'mia',
  'ethan',
  'chloe',
  'samuel',
  'grace',
  'daniel',
  'zara',
];
const FAMILY = [
  'smith',
  'johnson',
  'williams',
  'brown',
  'jones',
  'garcia',
  'miller',
  'davis',
  'rodriguez',
  'martinez',
  'okafor',
  'adeyemi',
  'mensah',
  'nguyen',
  'tran',
  'kim',
  'park',
  'chen',
  'wang',
  'li',
  'zhang',
  'singh',
  'patel',
  'kumar',
  'hassan',
  'ali',
  'ivanov',
  'petrov',
  'müller',
  'schmidt',
  'dubois',
  'moreau',
  'rossi',
  'bianchi',
  'silva',
  'santos',
  'kowalski',
  'nowak',
  'obi',
  'abubakar',
  'haddad',
  'cohen',
  'levi',
  'osei',
  'boateng',
  'fernandes',
  'gonzalez',
  'lopez',
  'wilson',
  'anderson',
  'taylor',
  'thomas',
  'moore',
];
const STREETS = ['main', 'high', 'church', 'station', 'park', 'victoria', 'green', 'mill', 'king', 'queen'];
const KINDS = ['street', 'road', 'avenue', 'lane', 'close'];
const CITIES = ['lagos', 'accra', 'nairobi', 'london', 'leeds', 'paris', 'lyon', 'madrid', 'lima', 'manila'];

export interface Person {
  personId: string;
  record: Omit<CanonicalRecord, 'external_id' | 'attributes'>;
}

function pick<T>(rnd: () => number, list: readonly T[]): T {
  const i = Math.floor(rnd() * list.length);
  return required(list[i], `pick: item ${i} of ${list.length}`);
}

const ONSETS = [
  'b',
  'ch',
  'd',
  'f',
  'g',
  'h',
  'j',
  'k',
  'l',
  'm',
  'n',
  'p',
  'r',
  's',
  'sh',
  't',
  'v',
  'w',
  'y',
  'z',
];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ei', 'ou'];
const CODAS = ['', '', 'n', 'r', 's', 'l', 'm', 'k', 'th', 'ng'];

/**
 * Real registers have long-tailed name distributions: a few very common names and a great many
 * rare ones. A fixed short list would put hundreds of people on every blocking key, which no
 * real population does; so most names are composed from syllables.
 */
function name(rnd: () => number, common: readonly string[]): string {
  if (rnd() < 0.35) return pick(rnd, common);
  const syllables = 2 + Math.floor(rnd() * 2);
  let out = '';
  for (let i = 0; i < syllables; i++)
    out += pick(rnd, ONSETS) + pick(rnd, VOWELS) + (i === syllables - 1 ? pick(rnd, CODAS) : '');
  return out;
}

function typo(rnd: () => number, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(rnd() * (s.length - 2));
  switch (Math.floor(rnd() * 3)) {
    case 0:
      return s.slice(0, i) + s.slice(i + 1); // deletion
    case 1:
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2); // transposition
    default:
      return s.slice(0, i) + pick(rnd, [...'aeiourstln']) + s.slice(i + 1); // substitution
  }
}

export function makePerson(rnd: () => number, index: number): Person {
  const year = 1940 + Math.floor(rnd() * 65);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const given = name(rnd, GIVEN);
  const family = name(rnd, FAMILY);
  return {
    personId: `p${index}`,
    record: {
      given_name: given,
      family_name: family,
      date_of_birth: `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      gender: rnd() < 0.5 ? 'f' : 'm',
      street_number: String(1 + Math.floor(rnd() * 200)),
      street: `${pick(rnd, STREETS)} ${pick(rnd, KINDS)}`,
      city: rnd() < 0.5 ? pick(rnd, CITIES) : name(rnd, CITIES),
      postcode: String(10000 + Math.floor(rnd() * 89999)),
      phone: `+4420${String(Math.floor(rnd() * 1e8)).padStart(8, '0')}`,
      email: `${given}.${family}${Math.floor(rnd() * 1000)}@example.org`,
      national_id: String(Math.floor(1e8 + rnd() * 9e8)),
    },
  };
}

/** A variant capture of the same person: a typo here, a missing field there. */
export function duplicateOf(rnd: () => number, person: Person): Person['record'] {
  const r = { ...person.record };
  if (rnd() < 0.4 && r.family_name) r.family_name = typo(rnd, r.family_name);
  if (rnd() < 0.3 && r.given_name) r.given_name = typo(rnd, r.given_name);
  if (rnd() < 0.3) delete r.phone;
  if (rnd() < 0.3) delete r.national_id;
  if (rnd() < 0.2) delete r.email;
  if (rnd() < 0.2 && r.street) r.street = typo(rnd, r.street);
  return r;
}

export interface GeneratedRecord {
  personId: string;
  record: CanonicalRecord;
}

/** `people` originals plus about `dupRate` of them again as variants, shuffled. */
export function generatePopulation(options: {
  people: number;
  dupRate: number;
  seed?: number;
  prefix?: string;
}): GeneratedRecord[] {
  const rnd = prng(options.seed ?? 42);
  const prefix = options.prefix ?? 'g';
  const out: GeneratedRecord[] = [];
  for (let i = 0; i < options.people; i++) {
    const person = makePerson(rnd, i);
    out.push({ personId: person.personId, record: { external_id: '', ...person.record, attributes: {} } });
    if (rnd() < options.dupRate) {
      out.push({
        personId: person.personId,
        record: { external_id: '', ...duplicateOf(rnd, person), attributes: {} },
      });
    }
  }
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    const a = required(out[i], `shuffle: record ${i} of ${out.length}`);
    out[i] = required(out[j], `shuffle: record ${j} of ${out.length}`);
    out[j] = a;
  }
  out.forEach((r, i) => (r.record.external_id = `${prefix}${i}`));
  return out;
}
