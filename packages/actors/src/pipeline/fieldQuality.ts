import {
  dateOfBirthProblem,
  type CanonicalRecord,
  type FieldQualityFlag,
  type FieldQualityFlags,
} from '@nexus/schema';
import type { NormalisedRecord } from '@nexus/matching';

/** The fields whose quality the daily rollups report (docs/decisions/0030-daily-rollups.md). */
export const QUALITY_FIELDS = [
  'given_name',
  'family_name',
  'date_of_birth',
  'gender',
  'phone',
  'email',
  'national_id',
  'postcode',
  'city',
  'country',
] as const;

export type QualityField = (typeof QUALITY_FIELDS)[number];

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * How cleaning found each field of an accepted record: `missing` (not given), `invalid` (given but
 * unusable: a date that is not a date, a phone that does not parse, a name that was only a title),
 * `repaired` (usable only after a fix beyond case and spacing: a date written 1990/1/2, a phone in
 * national format turned into E.164, an email in `<...>` or with `mailto:`). Fine fields are left
 * out, so the flags stay small in the row.
 */
export function fieldQuality(record: CanonicalRecord, n: NormalisedRecord): FieldQualityFlags {
  const flags: FieldQualityFlags = {};
  for (const field of QUALITY_FIELDS) {
    const flag = flagOf(field, record, n);
    if (flag) flags[field] = flag;
  }
  return flags;
}

function flagOf(field: QualityField, r: CanonicalRecord, n: NormalisedRecord): FieldQualityFlag | undefined {
  switch (field) {
    case 'given_name':
      if (r.given_name === undefined && r.full_name === undefined) return 'missing';
      return n.given === undefined ? 'invalid' : undefined;
    case 'family_name':
      if (r.family_name === undefined && r.full_name === undefined) return 'missing';
      return n.family === undefined ? 'invalid' : undefined;
    case 'date_of_birth':
      if (r.date_of_birth === undefined) return 'missing';
      if (n.dob === undefined || n.dob.precision === 'invalid') return 'invalid';
      return dateOfBirthProblem(r.date_of_birth) === undefined ? undefined : 'repaired';
    case 'gender':
      if (r.gender === undefined) return 'missing';
      return n.gender === undefined ? 'invalid' : undefined;
    case 'phone':
      if (r.phone === undefined) return 'missing';
      if (n.phone === undefined || !n.phone.startsWith('+')) return 'invalid';
      return r.phone.replace(/[\s().-]/g, '') === n.phone ? undefined : 'repaired';
    case 'email':
      if (r.email === undefined) return 'missing';
      if (n.email === undefined || !EMAIL.test(n.email)) return 'invalid';
      return /^(mailto:|<)|>$|\s/i.test(r.email.trim()) ? 'repaired' : undefined;
    case 'national_id':
      if (r.national_id === undefined) return 'missing';
      return n.national_id === undefined ? 'invalid' : undefined;
    case 'postcode':
      if (r.postcode === undefined) return 'missing';
      return n.postcode === undefined ? 'invalid' : undefined;
    case 'city':
      if (r.city === undefined) return 'missing';
      return n.city === undefined ? 'invalid' : undefined;
    case 'country':
      if (r.country === undefined) return 'missing';
      return n.country === undefined ? 'invalid' : undefined;
  }
}
