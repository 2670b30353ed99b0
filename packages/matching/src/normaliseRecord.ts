/**
 * One canonical record to the normalised form the matcher compares. The result is plain JSON
 * (no Map, Date or undefined-valued keys): it is stored in a jsonb column and posted between
 * worker threads, so absent values are absent keys.
 */
import type { CanonicalRecord } from '@nexus/schema';
import {
  normalisePlace,
  normalisePostcode,
  normaliseState,
  normaliseStreet,
  normaliseStreetNumber,
} from './addresses';
import { normaliseDate, type NormalisedDate } from './dates';
import { normaliseEmail } from './emails';
import { foldWords } from './fold';
import { normaliseGender, type Gender } from './gender';
import { normaliseName, type NormalisedName } from './names';
import { normalisePhone } from './phones';

/** Bumped whenever normalisation changes, so stored forms can be recomputed. */
export const NORMALISER_VERSION = 1;

export interface NormalisedRecord extends NormalisedName {
  v: number;
  dob?: NormalisedDate;
  gender?: Gender;
  street_number?: string;
  street?: string;
  locality?: string;
  city?: string;
  postcode?: string;
  state?: string;
  country?: string;
  phone?: string;
  email?: string;
  national_id?: string;
  birth_place?: string;
}

export interface NormaliseOptions {
  /** ISO 3166 alpha-2 country for phone numbers written without their + prefix. */
  defaultCountry?: string;
}

/** Identifiers compare on letters and digits only: "AB 12-34" and "ab1234" are one id. */
export function normaliseIdentifier(value: string): string | undefined {
  const text = foldWords(value).join('');
  return text === '' ? undefined : text;
}

/** A record's own two-letter country code beats the default for reading its phone number. */
function phoneCountry(country: string | undefined): string | undefined {
  const code = country?.trim();
  return code !== undefined && /^[a-z]{2}$/i.test(code) ? code : undefined;
}

function apply<T>(value: string | undefined, f: (v: string) => T | undefined): T | undefined {
  return value === undefined ? undefined : f(value);
}

export function normaliseRecord(record: CanonicalRecord, options: NormaliseOptions = {}): NormalisedRecord {
  const out: NormalisedRecord = { v: NORMALISER_VERSION };
  Object.assign(out, normaliseName(record));
  const fields: Omit<NormalisedRecord, 'v' | keyof NormalisedName> = {
    dob: apply(record.date_of_birth, normaliseDate),
    gender: apply(record.gender, normaliseGender),
    street_number: apply(record.street_number, normaliseStreetNumber),
    street: apply(record.street, normaliseStreet),
    locality: apply(record.locality, normalisePlace),
    city: apply(record.city, normalisePlace),
    postcode: apply(record.postcode, normalisePostcode),
    state: apply(record.state, normaliseState),
    country: apply(record.country, normalisePlace),
    phone: apply(record.phone, (p) =>
      normalisePhone(p, phoneCountry(record.country) ?? options.defaultCountry),
    ),
    email: apply(record.email, normaliseEmail),
    national_id: apply(record.national_id, normaliseIdentifier),
    birth_place: apply(record.birth_place, normalisePlace),
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (out as unknown as Record<string, unknown>)[key] = value;
  }
  return out;
}
