import { z } from 'zod';

/** Fields of the canonical person record (docs/architecture.md, "Contracts"); any other column is an attribute. */
export const CANONICAL_FIELDS = [
  'external_id',
  'source',
  'given_name',
  'middle_name',
  'family_name',
  'full_name',
  'date_of_birth',
  'gender',
  'street_number',
  'street',
  'locality',
  'city',
  'postcode',
  'state',
  'country',
  'phone',
  'email',
  'national_id',
  'birth_place',
  'face_image',
] as const;

export type CanonicalField = (typeof CANONICAL_FIELDS)[number];

/** Longest accepted value of a text field; a face image (data: URL) may be much larger. */
export const MAX_FIELD_LENGTH = 1_000;
export const MAX_FACE_IMAGE_LENGTH = 8_000_000;
export const MAX_ATTRIBUTES = 100;

const text = (max = MAX_FIELD_LENGTH) =>
  z
    .string()
    .max(max, { message: `is longer than ${max.toLocaleString('en')} characters` })
    .optional();

/** The canonical record after the raw input was cleaned into strings (see parseCanonicalRecord). */
export const canonicalRecordSchema = z.object({
  external_id: z
    .string({ message: 'is required' })
    .min(1, { message: 'is required' })
    .max(200, { message: 'is longer than 200 characters' }),
  source: text(200),
  given_name: text(),
  middle_name: text(),
  family_name: text(),
  full_name: text(),
  date_of_birth: text(64),
  gender: text(64),
  street_number: text(),
  street: text(),
  locality: text(),
  city: text(),
  postcode: text(64),
  state: text(),
  country: text(),
  phone: text(64),
  email: text(320),
  national_id: text(200),
  birth_place: text(),
  face_image: text(MAX_FACE_IMAGE_LENGTH),
  attributes: z
    .record(
      z.string(),
      z.string().max(MAX_FIELD_LENGTH, { message: `is longer than ${MAX_FIELD_LENGTH} characters` }),
    )
    .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTES, {
      message: `has more than ${MAX_ATTRIBUTES} extra columns`,
    })
    .default({}),
});

export type CanonicalRecord = z.infer<typeof canonicalRecordSchema>;

export interface FieldError {
  field: string;
  message: string;
}

export type ParsedRecord =
  { ok: true; record: CanonicalRecord; warnings: FieldError[] } | { ok: false; errors: FieldError[] };

const canonicalSet = new Set<string>(CANONICAL_FIELDS);

function cleanValue(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/**
 * Text Postgres cannot store: a NUL character, or half of a UTF-16 surrogate pair (broken
 * Unicode). Such a value is refused where it enters, as a field error, not failed on at insert.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export const UNSTORABLE_TEXT_MESSAGE = 'contains a NUL character or broken Unicode';

const DATE_FORMATS = /^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?$/;

/** Why a date of birth cannot be read as YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY; undefined if it can. */
export function dateOfBirthProblem(value: string): string | undefined {
  const m = DATE_FORMATS.exec(value);
  if (!m) return `"${value.slice(0, 40)}" is not a date (YYYY-MM-DD, YYYYMMDD, YYYY-MM or YYYY)`;
  const [, y, mo, d] = m;
  const year = Number(y);
  if (year < 1000 || year > 2200) return `year ${y} is out of range`;
  if (mo !== undefined) {
    const month = Number(mo);
    if (month < 1 || month > 12) return `month ${mo} does not exist`;
    if (d !== undefined) {
      const day = Number(d);
      const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
      if (day < 1 || day > last) return `day ${d} does not exist in ${y}-${mo}`;
    }
  }
  return undefined;
}

/**
 * Turns one raw input row (CSV row, NDJSON object, API body) into a canonical record.
 * Unknown columns become attributes; an invalid date of birth is a warning, not a rejection,
 * because the matcher can still compare its digits.
 */
export function parseCanonicalRecord(raw: unknown, defaults: { source?: string } = {}): ParsedRecord {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      errors: [{ field: '(record)', message: 'is not an object of field names to values' }],
    };
  }
  const candidate: Record<string, unknown> = {};
  const attributes: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const field = key.trim();
    if (!isStorableText(field)) {
      errors.push({ field: '(record)', message: `a field name ${UNSTORABLE_TEXT_MESSAGE}` });
      continue;
    }
    if (field === 'attributes' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        const s = cleanValue(v);
        if (s === undefined) continue;
        if (!isStorableText(k) || !isStorableText(s))
          errors.push({ field: `attributes.${k}`, message: UNSTORABLE_TEXT_MESSAGE });
        else attributes[k] = s;
      }
      continue;
    }
    if (typeof value === 'object' && value !== null) {
      errors.push({ field, message: 'must be a text value, not an object or list' });
      continue;
    }
    const s = cleanValue(value);
    if (s === undefined) continue;
    if (!isStorableText(s)) {
      errors.push({ field, message: UNSTORABLE_TEXT_MESSAGE });
      continue;
    }
    if (canonicalSet.has(field)) candidate[field] = s;
    else if (field !== '') attributes[field] = s;
  }
  if (candidate.source === undefined && defaults.source !== undefined) candidate.source = defaults.source;
  candidate.attributes = attributes;
  const result = canonicalRecordSchema.safeParse(candidate);
  if (!result.success) {
    for (const issue of result.error.issues) {
      errors.push({ field: issue.path.map(String).join('.') || '(record)', message: issue.message });
    }
  }
  if (errors.length > 0 || !result.success) return { ok: false, errors };
  const record = result.data;
  const warnings: FieldError[] = [];
  if (record.date_of_birth !== undefined) {
    const problem = dateOfBirthProblem(record.date_of_birth);
    if (problem) warnings.push({ field: 'date_of_birth', message: problem });
  }
  const hasName = [record.given_name, record.family_name, record.full_name].some((v) => v !== undefined);
  const hasIdentifier = [record.national_id, record.email, record.phone, record.face_image].some(
    (v) => v !== undefined,
  );
  // A record without a name is still a person when its date of birth and where they live say
  // who: it is decided (most likely as new), not rejected.
  const hasPlace = [record.street, record.locality, record.city, record.postcode, record.birth_place].some(
    (v) => v !== undefined,
  );
  const hasBirthAndPlace = record.date_of_birth !== undefined && hasPlace;
  if (!hasName && !hasIdentifier && !hasBirthAndPlace) {
    return {
      ok: false,
      errors: [
        {
          field: '(record)',
          message:
            'has no name, national_id, email, phone, face_image, or date of birth with a place to match on',
        },
      ],
    };
  }
  return { ok: true, record, warnings };
}
