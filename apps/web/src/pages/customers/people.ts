/** How a person's values read on screen: the best name, labelled fields in the canonical order. */
type Values = Record<string, unknown>;

/** A stored value as text; anything that is not a plain value reads as empty. */
export const valueText = (v: unknown): string =>
  typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : '';

export function personName(values: Values): string {
  const parts = [values.given_name, values.middle_name, values.family_name].map(valueText).filter(Boolean);
  return parts.length > 0 ? parts.join(' ') : valueText(values.full_name) || 'Unnamed person';
}

export const FIELD_LABELS: ReadonlyArray<readonly [string, string]> = [
  ['given_name', 'Given name'],
  ['middle_name', 'Middle name'],
  ['family_name', 'Family name'],
  ['full_name', 'Full name'],
  ['date_of_birth', 'Date of birth'],
  ['gender', 'Gender'],
  ['national_id', 'National id'],
  ['email', 'Email'],
  ['phone', 'Phone'],
  ['street_number', 'Street number'],
  ['street', 'Street'],
  ['locality', 'Locality'],
  ['city', 'City'],
  ['postcode', 'Postcode'],
  ['state', 'State'],
  ['country', 'Country'],
  ['birth_place', 'Place of birth'],
];

const SKIPPED = new Set(['external_id', 'source', 'face_image']);

/** Labelled, non-empty values: canonical fields first, then any other attribute. */
export function labelledValues(values: Values): Array<{ key: string; label: string; value: string }> {
  const known = new Set(FIELD_LABELS.map(([k]) => k));
  const rows = FIELD_LABELS.map(([key, label]) => ({ key, label, value: valueText(values[key]) }));
  const extra = Object.keys(values)
    .filter((k) => !known.has(k) && !SKIPPED.has(k))
    .sort()
    .map((key) => ({ key, label: key.replace(/_/g, ' '), value: valueText(values[key]) }));
  return [...rows, ...extra].filter((r) => r.value !== '');
}

/** The identifiers that tell people apart at a glance in a list. */
export function identifiersOf(values: Values): string {
  return [values.national_id, values.email, values.phone].map(valueText).filter(Boolean).join(' · ');
}

/** An image the browser can show by itself: faces sent inline; file paths stay on the server. */
export function inlineImage(value: unknown): string | null {
  return typeof value === 'string' && /^data:image\/(png|jpe?g|webp|gif);base64,/i.test(value) ? value : null;
}

/** The end of an id: time-ordered ids share their first characters. */
export const shortId = (id: string): string => id.slice(-8);

const DATE_LIKE = /^(1[89]|20)\d{2}(-?\d{2}(-?\d{2})?)?$/;

export interface SearchCriterion {
  /** What the text was taken for, as the user reads it. */
  label: string;
  input: { name?: string; dateOfBirth?: string; identifier?: string };
}

/**
 * What one search box's text may mean, as customers.search inputs: an identifier (national id,
 * email, phone), a date of birth, a name, or a name with a date of birth ("Ada Byron 1815").
 * Ambiguous text (8 digits: a date or an id) is tried both ways.
 */
export function searchCriteria(raw: string): SearchCriterion[] {
  const q = raw.trim().replace(/\s+/g, ' ');
  if (q.length < 2) return [];
  if (q.includes('@')) return [{ label: 'email', input: { identifier: q } }];
  const compact = q.replace(/[\s()+./-]/g, '');
  const out: SearchCriterion[] = [];
  if (!/\p{L}/u.test(q)) {
    if (DATE_LIKE.test(q) || DATE_LIKE.test(compact))
      out.push({ label: 'date of birth', input: { dateOfBirth: q } });
    if (compact.length >= 5 && !/^\d{4}-\d{2}(-\d{2})?$/.test(q))
      out.push({ label: 'identifier', input: { identifier: q } });
    return out;
  }
  if (!q.includes(' ') && /\d/.test(q)) return [{ label: 'identifier', input: { identifier: q } }];
  const words = q.split(' ');
  const dates = words.filter((w) => DATE_LIKE.test(w));
  const names = words.filter((w) => !DATE_LIKE.test(w));
  if (dates.length === 1 && names.length > 0)
    return [{ label: 'name and date of birth', input: { name: names.join(' '), dateOfBirth: dates[0] } }];
  return [{ label: 'name', input: { name: q } }];
}
