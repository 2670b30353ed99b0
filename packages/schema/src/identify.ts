import { z } from 'zod';
import { accessReason } from './access';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/**
 * `/identify`, on the Bitespeed identity reconciliation contract: a request carries an email, a
 * phone number or both; the answer is the contact family they belong to.
 */

/** RFC 5321: no address is longer. */
export const MAX_EMAIL_LENGTH = 254;
/** A phone number as written, with its spaces, dashes and brackets. */
export const MAX_PHONE_LENGTH = 32;
/** E.164 holds at most 15 digits; fewer than 6 cannot tell people apart. */
export const MIN_PHONE_DIGITS = 6;
export const MAX_PHONE_DIGITS = 15;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_CHARACTERS = /^\+?[\d\s().-]+$/;

/** A blank string is no value: clients of this contract send `""` for a field they do not have. */
const blankIsAbsent = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);

const email = z.preprocess(
  blankIsAbsent,
  z
    .string({ message: 'must be a string or null' })
    .trim()
    .max(MAX_EMAIL_LENGTH, { message: `must be at most ${MAX_EMAIL_LENGTH} characters` })
    .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE })
    .refine((v) => EMAIL_SHAPE.test(v), { message: 'is not an email address (name@domain)' })
    .nullish(),
);

const digitCount = (v: string) => v.replace(/\D/g, '').length;

const phoneNumber = z.preprocess(
  blankIsAbsent,
  z
    .union(
      [
        z
          .string()
          .trim()
          .max(MAX_PHONE_LENGTH, { message: `must be at most ${MAX_PHONE_LENGTH} characters` }),
        z
          .number()
          .int({ message: 'must be a whole number' })
          .nonnegative({ message: 'must not be negative' })
          .max(Number.MAX_SAFE_INTEGER, { message: 'is too large a number: send it as a string' })
          .transform(String),
      ],
      { message: 'must be a string, a number or null' },
    )
    .refine((v) => PHONE_CHARACTERS.test(v), {
      message: 'is not a phone number (digits, with + ( ) - . and spaces)',
    })
    .refine((v) => digitCount(v) >= MIN_PHONE_DIGITS && digitCount(v) <= MAX_PHONE_DIGITS, {
      message: `must have ${MIN_PHONE_DIGITS} to ${MAX_PHONE_DIGITS} digits`,
    })
    .nullish(),
);

export const identifyInput = z
  .object({ email, phoneNumber }, { message: 'must be a JSON object' })
  .refine((v) => (v.email ?? null) !== null || (v.phoneNumber ?? null) !== null, {
    message: 'send an email, a phoneNumber or both',
    path: ['(body)'],
  });

export type IdentifyInput = z.output<typeof identifyInput>;

/** The answer: `primaryContatctId` spelled as the contract spells it; `primaryContactId` beside it. */
export interface IdentifiedContact {
  primaryContatctId: number;
  primaryContactId: number;
  emails: string[];
  phoneNumbers: string[];
  secondaryContactIds: number[];
}

export const contactIdInput = z.object({
  contactId: z.number().int().positive().max(2_147_483_647),
  reason: accessReason.optional(),
});
export const findContactsInput = z
  .object({
    email: z.string().trim().max(MAX_EMAIL_LENGTH).optional(),
    phoneNumber: z.string().trim().max(MAX_PHONE_LENGTH).optional(),
    /** Required by the procedure (ACCESS.REASON_REQUIRED): a lookup by value says why. */
    reason: accessReason.optional(),
  })
  .refine((v) => Boolean(v.email) || Boolean(v.phoneNumber), {
    message: 'give an email or a phone number',
    path: ['(body)'],
  });
export const eraseContactsInput = contactIdInput.extend({
  reason: z
    .string()
    .trim()
    .min(3, { message: 'give a reason (at least 3 characters)' })
    .max(2000)
    .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE }),
});
export const goldenContactsInput = z.object({
  goldenId: z.string().uuid({ message: 'must be a UUID' }),
  reason: accessReason.optional(),
});
