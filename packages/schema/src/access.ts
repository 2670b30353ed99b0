import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';
import type { UserRole } from './roles';

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

/** A masked field a reviewer asks to see in full, on a record or a golden record. */
export const revealInput = z
  .object({
    recordId: uuid.optional(),
    customerId: uuid.optional(),
    field: z.enum(['national_id', 'phone', 'email']),
    reason: accessReason.optional(),
  })
  .refine((r) => (r.recordId === undefined) !== (r.customerId === undefined), {
    message: 'give recordId or customerId, one of them',
    path: ['recordId'],
  });

/** How a field is shown: in full, its last four characters, or an email's first letter and domain. */
export type MaskRule = 'full' | 'last4' | 'email';

/** The person fields that are masked for some roles; every other field is shown as it is. */
export const MASKED_FIELDS = ['national_id', 'phone', 'email'] as const;
export type MaskedField = (typeof MASKED_FIELDS)[number];

/**
 * THE mapping of what each role sees of a person's identifiers in API answers. Reviewers decide
 * whether two records are one person and admins answer erasure and access requests: they need the
 * values. Operators run the engine and ingest clients read back decisions about records they
 * sent: a few characters are enough to tell records apart. The dashboard also masks national ids
 * and phones for reviewers until one is revealed (DASHBOARD_MASKED), which is recorded.
 */
export const FIELD_MASKS: Record<UserRole, Record<MaskedField, MaskRule>> = {
  admin: { national_id: 'full', phone: 'full', email: 'full' },
  reviewer: { national_id: 'full', phone: 'full', email: 'full' },
  operator: { national_id: 'last4', phone: 'last4', email: 'email' },
  ingest: { national_id: 'last4', phone: 'last4', email: 'email' },
};

/** Fields the dashboard shows masked (last4) until the reviewer reveals them. */
export const DASHBOARD_MASKED: readonly MaskedField[] = ['national_id', 'phone'];

/** `*****6625`: as many stars as hidden characters (at least 5), then the last four. */
export function maskValue(value: string, rule: MaskRule): string {
  if (rule === 'full') return value;
  if (rule === 'email') {
    const at = value.lastIndexOf('@');
    if (at <= 0) return '*'.repeat(Math.max(5, value.length));
    return `${value[0]}***${value.slice(at)}`;
  }
  const visible = value.length > 6 ? value.slice(-4) : '';
  return `${'*'.repeat(Math.max(5, value.length - visible.length))}${visible}`;
}

/** A person's values (a payload, a golden record's best values) as `role` may see them. */
export function maskPerson<T extends Record<string, unknown>>(values: T, role: UserRole): T {
  const rules = FIELD_MASKS[role];
  let out: Record<string, unknown> | undefined;
  for (const field of MASKED_FIELDS) {
    const rule = rules[field];
    const value = values[field];
    if (rule === 'full' || value === undefined || value === null || value === '') continue;
    out ??= { ...values };
    out[field] = maskValue(typeof value === 'string' ? value : JSON.stringify(value), rule);
  }
  return (out ?? values) as T;
}
