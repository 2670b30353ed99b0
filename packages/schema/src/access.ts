import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/**
 * Why someone reads a person's data (docs/decisions/0037-access-records-and-masking.md). Optional
 * in the inputs: the procedures that need one (searches outside the review queue) refuse a call
 * without it with ACCESS.REASON_REQUIRED, a clearer answer than a schema error.
 */
export const accessReason = z
  .string()
  .trim()
  .min(3, { message: 'give a reason (at least 3 characters)' })
  .max(500)
  .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });

const uuid = z.string().uuid({ message: 'must be a UUID' });

/** An admin's view of the trail: of one person (golden record), of one account, or everything. */
export const accessTrailInput = z
  .object({
    customerId: uuid.optional(),
    username: z.string().trim().min(1).max(200).optional(),
    /** Entries with a smaller id than this (the previous page's nextCursor). */
    cursor: z
      .string()
      .regex(/^\d{1,18}$/, { message: 'must be a numeric id' })
      .optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .prefault({});

/**
 * A masked field a reviewer asks to see in full: on a record, a golden record, or a contact of
 * `/identify` (which holds an email and a phone, never a national id).
 */
export const revealInput = z
  .object({
    recordId: uuid.optional(),
    customerId: uuid.optional(),
    contactId: z.number().int().positive().max(2_147_483_647).optional(),
    field: z.enum(['national_id', 'phone', 'email']),
    reason: accessReason.optional(),
  })
  .refine((r) => [r.recordId, r.customerId, r.contactId].filter((t) => t !== undefined).length === 1, {
    message: 'give recordId, customerId or contactId, one of them',
    path: ['recordId'],
  })
  .refine((r) => r.contactId === undefined || r.field !== 'national_id', {
    message: 'a contact holds an email and a phone, no national id',
    path: ['field'],
  });
export type RevealInput = z.output<typeof revealInput>;

// The masks are their own module so the dashboard can import them without zod.
export * from './masks';
