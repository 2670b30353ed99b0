/**
 * A golden record as an Elasticsearch document, and the fuzzy query that finds it. The node has
 * no analysis-common (no asciifolding, no phonetic filter), so every value is indexed already
 * normalised by Nexus: folded names, Double Metaphone codes, E.164 phones, digit-only dates.
 * A document holds the values of every member, so a record can meet any of them.
 */
import { emailLocalPart } from '@nexus/matching';
import type { NormalisedRecord } from '@nexus/matching';
import { blindIdentifier } from '@nexus/matching';

const blindOf = (kind: string, value: string | undefined) =>
  value === undefined ? undefined : blindIdentifier(kind, value);

export interface GoldenRecordDocument {
  status: string;
  given: string[];
  family: string[];
  given_codes: string[];
  family_codes: string[];
  dob: string[];
  dob_year: string[];
  dob_md: string[];
  national_id: string[];
  email: string[];
  email_local: string[];
  phone: string[];
  postcode: string[];
  place: string[];
  street: string[];
}

const keyword = { type: 'keyword' } as const;
const text = { type: 'text', analyzer: 'standard' } as const;

export const GOLDEN_RECORD_INDEX_BODY = {
  settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '1s' },
  mappings: {
    dynamic: 'strict' as const,
    properties: {
      status: keyword,
      given: text,
      family: text,
      given_codes: keyword,
      family_codes: keyword,
      dob: keyword,
      dob_year: keyword,
      dob_md: keyword,
      national_id: keyword,
      email: keyword,
      email_local: keyword,
      phone: keyword,
      postcode: keyword,
      place: keyword,
      street: text,
    },
  },
};

const uniq = (values: Iterable<string | undefined>) => [
  ...new Set([...values].filter((v): v is string => !!v)),
];

function dateParts(n: NormalisedRecord): { dob?: string; year?: string; md?: string } {
  const d = n.dob;
  if (!d) return {};
  const full =
    d.precision === 'day' || (d.precision === 'invalid' && d.digits.length === 8) ? d.digits : undefined;
  return { dob: full, year: d.year === undefined ? undefined : String(d.year), md: full?.slice(4) };
}

export function goldenRecordDocument(
  status: string,
  members: readonly NormalisedRecord[],
): GoldenRecordDocument {
  const dates = members.map(dateParts);
  return {
    status,
    given: uniq(members.flatMap((m) => [m.given, ...(m.givenRoots ?? [])])),
    family: uniq(members.map((m) => m.family)),
    given_codes: uniq(members.flatMap((m) => m.givenCodes ?? [])),
    family_codes: uniq(members.flatMap((m) => m.familyCodes ?? [])),
    dob: uniq(dates.map((d) => d.dob)),
    dob_year: uniq(dates.map((d) => d.year)),
    dob_md: uniq(dates.map((d) => d.md)),
    // Identifiers are indexed as their blind indexes when encryption is on (ADR 0049).
    national_id: uniq(members.map((m) => blindOf('nid', m.national_id))),
    email: uniq(members.map((m) => blindOf('em', m.email))),
    email_local: uniq(members.map((m) => blindOf('el', m.email ? emailLocalPart(m.email) : undefined))),
    phone: uniq(members.map((m) => blindOf('ph', m.phone))),
    postcode: uniq(members.map((m) => m.postcode)),
    place: uniq(members.flatMap((m) => [m.locality, m.city])),
    street: uniq(members.map((m) => m.street)),
  };
}

type Clause = Record<string, unknown>;

/**
 * Fuzzy names (edit distance by length; swapped names meet exactly and by code), phonetic
 * codes, with date and identifier boosts; only active golden records. Scores rank; the matcher
 * decides. Returns no clause at all for a record with nothing to search on.
 */
export function candidateQuery(n: NormalisedRecord): Clause | undefined {
  const should: Clause[] = [];
  const term = (field: string, value: string | undefined, boost: number) => {
    if (value) should.push({ term: { [field]: { value, boost } } });
  };
  const terms = (field: string, values: readonly string[] | undefined, boost: number) => {
    if (values && values.length > 0) should.push({ terms: { [field]: [...values], boost } });
  };
  // Fuzzy expansion is the costly part of the query: names only; codes catch the rest.
  const fuzzy = (field: string, value: string | undefined, boost: number) => {
    if (value)
      should.push({
        match: { [field]: { query: value, fuzziness: 'AUTO', prefix_length: 1, max_expansions: 20, boost } },
      });
  };
  const exact = (field: string, value: string | undefined, boost: number) => {
    if (value) should.push({ match: { [field]: { query: value, boost } } });
  };
  term('national_id', blindOf('nid', n.national_id), 10);
  term('email', blindOf('em', n.email), 8);
  if (n.email) term('email_local', blindOf('el', emailLocalPart(n.email)), 4);
  term('phone', blindOf('ph', n.phone), 8);
  fuzzy('family', n.family, 3);
  exact('given', n.given, 2);
  exact('family', n.given, 1);
  exact('given', n.family, 1);
  terms('family_codes', n.familyCodes, 1.5);
  terms('given_codes', n.givenCodes, 1);
  const { dob, year, md } = dateParts(n);
  term('dob', dob, 4);
  term('dob_md', md, 1);
  term('dob_year', year, 0.5);
  term('postcode', n.postcode, 1);
  terms('place', uniq([n.locality, n.city]), 0.5);
  exact('street', n.street, 0.5);
  if (should.length === 0) return undefined;
  return { bool: { filter: [{ term: { status: 'active' } }], should, minimum_should_match: 1 } };
}
