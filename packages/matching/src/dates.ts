/**
 * Dates of birth: full (YYYY-MM-DD, YYYYMMDD), partial (YYYY-MM, YYYY) and invalid. An invalid
 * date is not dropped: its digits are kept because "19560231" is still a near miss of
 * "19560213", and a typo is the usual reason a date is invalid.
 */

export type DatePrecision = 'day' | 'month' | 'year' | 'invalid';

export interface NormalisedDate {
  precision: DatePrecision;
  /** YYYYMMDD, YYYYMM or YYYY when valid; the digits as written when invalid. */
  digits: string;
  /** Set whenever the value starts with a plausible year, even when the rest is invalid. */
  year?: number;
  month?: number;
  day?: number;
}

/** Registers of historical people hold births centuries ago; before this a year is a typo. */
export const MIN_YEAR = 1000;
export const MAX_YEAR = 2200;

const SEPARATED = /^(\d{4})(?:[-/. ](\d{1,2})(?:[-/. ](\d{1,2}))?)?$/;
const COMPACT = /^(\d{4})(\d{2})?(\d{2})?$/;
const DIGITS_MAX = 16;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function plausibleYear(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function invalid(digits: string): NormalisedDate | undefined {
  if (digits === '') return undefined;
  const kept = digits.slice(0, DIGITS_MAX);
  const year = Number(kept.slice(0, 4));
  return kept.length >= 4 && plausibleYear(year)
    ? { precision: 'invalid', digits: kept, year }
    : { precision: 'invalid', digits: kept };
}

/** Reads a date of birth; undefined when the value holds no digit at all. */
export function normaliseDate(value: string): NormalisedDate | undefined {
  const text = value.trim();
  const m = SEPARATED.exec(text) ?? COMPACT.exec(text);
  const digits = text.replace(/\D/g, '');
  if (!m) return invalid(digits);
  const year = Number(m[1]);
  const month = m[2] === undefined ? undefined : Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  if (!plausibleYear(year)) return invalid(digits);
  if (month === undefined) return { precision: 'year', digits: String(year), year };
  if (month < 1 || month > 12) return invalid(digits);
  if (day === undefined) return { precision: 'month', digits: `${year}${pad(month)}`, year, month };
  if (day < 1 || day > daysInMonth(year, month)) return invalid(digits);
  return { precision: 'day', digits: `${year}${pad(month)}${pad(day)}`, year, month, day };
}

/** ISO text of a valid date (YYYY-MM-DD, YYYY-MM or YYYY); undefined when invalid. */
export function isoDate(d: NormalisedDate): string | undefined {
  if (d.precision === 'invalid' || d.year === undefined) return undefined;
  const parts = [String(d.year)];
  if (d.month !== undefined) parts.push(pad(d.month));
  if (d.day !== undefined) parts.push(pad(d.day));
  return parts.join('-');
}

/** A module-level function, not a local arrow: see `partial` in fieldComparisons.ts. */
function utcTime(d: NormalisedDate): number {
  return Date.UTC(d.year ?? 0, (d.month ?? 1) - 1, d.day ?? 1);
}

/** Whole days between two full dates; undefined unless both are valid to the day. */
export function daysBetween(a: NormalisedDate, b: NormalisedDate): number | undefined {
  if (a.precision !== 'day' || b.precision !== 'day') return undefined;
  return Math.round(Math.abs(utcTime(a) - utcTime(b)) / 86_400_000);
}
