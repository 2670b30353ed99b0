import { normalisePhone } from '@nexus/matching';
import type { IdentifyInput } from '@nexus/schema';

/** A value as the client gave it (trimmed) and the key it is compared on. */
export interface ContactValue {
  value: string;
  key: string;
}

export interface ContactRequest {
  email: ContactValue | null;
  phone: ContactValue | null;
}

/** Emails are compared trimmed and case-insensitively (no provider-specific folding: a contract of exact addresses). */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Phone numbers are compared in E.164 when libphonenumber-js can read them (with the default
 * country for national numbers), else by their digits; the input schema has already required 6 to
 * 15 digits, so a key always exists.
 */
export function phoneKey(phone: string, defaultCountry: string | undefined): string {
  return normalisePhone(phone, defaultCountry) ?? phone.replace(/\D/g, '');
}

export function contactRequest(input: IdentifyInput, defaultCountry: string | undefined): ContactRequest {
  const email = input.email?.trim() ?? null;
  const phone = input.phoneNumber?.trim() ?? null;
  return {
    email: email === null ? null : { value: email, key: emailKey(email) },
    phone: phone === null ? null : { value: phone, key: phoneKey(phone, defaultCountry) },
  };
}
