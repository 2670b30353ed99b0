/**
 * Dates of birth years apart in one household (docs/decisions/0052-dates-of-birth-years-apart-in-one-household.md).
 * Fellegi-Sunter adds field weights as if fields agreed by chance independently, but members of a
 * household share a family name and every address field, so their agreement adds up to +30 bits
 * or more while what tells them apart, a different given name and a date of birth years off,
 * weighs about -9. When the given names are not one name and the full dates are years apart,
 * only something a person does not share with their household overrules the dates: a national
 * id or an e-mail address, or a date of the golden record that agrees.
 */
import type { FieldScore } from './comparePair';
import type { NormalisedRecord } from './normaliseRecord';

/** Levels of a personal identifier that say "the same person" (a landline phone is shared, so not phone). */
const PERSONAL_IDENTIFIER: Readonly<Record<string, readonly string[]>> = {
  national_id: ['exact', 'typo'],
  email: ['exact', 'same_local_part'],
};

/**
 * Full dates more than a year and two keying errors apart; on the same day and month or not
 * (1970-01-01 and 2002-01-01: a household may share a birthday, not a year of birth).
 */
const YEARS_APART: readonly string[] = ['different', 'same_day_and_month'];

/** Both dates of birth are full, valid dates and the comparison found them years apart. */
export function fullDatesYearsApart(a: NormalisedRecord, b: NormalisedRecord, fields: FieldScore[]): boolean {
  if (a.dob?.precision !== 'day' || b.dob?.precision !== 'day') return false;
  return fields.some((f) => f.field === 'date_of_birth' && YEARS_APART.includes(f.level));
}

/** Some date level other than years apart or missing: the two dates may be one written two ways. */
export function datesMayAgree(fields: FieldScore[]): boolean {
  return fields.some(
    (f) => f.field === 'date_of_birth' && !YEARS_APART.includes(f.level) && f.level !== 'missing',
  );
}

/** Given-name levels that say "one name, written two ways" (phonetic, similar or an initial do not: JOHN and ANNA sound alike). */
const SAME_GIVEN_NAME: readonly string[] = ['exact', 'nickname', 'close', 'swapped'];

/**
 * The given names are one name written two ways: then the dates are weighed, not vetoed, since a
 * record's date is mistyped or replaced more often than a person shares given name, family and
 * address with another. A missing given name does not agree.
 */
export function givenNamesAgree(fields: FieldScore[]): boolean {
  return fields.some((f) => f.field === 'given_name' && SAME_GIVEN_NAME.includes(f.level));
}

/** A national id or e-mail address agrees: evidence a household does not share. */
export function personalIdentifierAgrees(fields: FieldScore[]): boolean {
  return fields.some((f) => PERSONAL_IDENTIFIER[f.field]?.includes(f.level) === true);
}
