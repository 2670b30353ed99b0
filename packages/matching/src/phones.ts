/**
 * Phone numbers to E.164 with libphonenumber-js (the maintained JavaScript port of Google's
 * libphonenumber metadata). National numbers need a country to be read: the caller passes a
 * default country (ISO 3166 alpha-2, e.g. "GB"); a number written with its + prefix needs none.
 */
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** Too short to be a phone number anywhere; kept out so it cannot link strangers. */
const MIN_DIGITS = 6;
const MAX_DIGITS = 20;

function country(code: string | undefined): CountryCode | undefined {
  if (code === undefined) return undefined;
  const upper = code.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : undefined;
}

/**
 * E.164 ("+442079460018") when the number is possible for its country; otherwise its digits
 * (with the + it was written with), so that two copies of one unreadable number still agree.
 * Undefined when fewer than six digits are left.
 */
export function normalisePhone(value: string, defaultCountry?: string): string | undefined {
  const plus = value.trim().startsWith('+');
  const digits = value.replace(/\D/g, '').slice(0, MAX_DIGITS);
  if (digits.length < MIN_DIGITS) return undefined;
  try {
    const parsed = parsePhoneNumberFromString(value.slice(0, 64), country(defaultCountry));
    if (parsed?.isPossible()) return parsed.number;
  } catch {
    // libphonenumber-js reports unreadable input by returning undefined; this guards the rest.
  }
  return plus ? `+${digits}` : digits;
}
