import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/** Records one erasure request may name: a person's records, not a bulk purge (retention does that). */
export const MAX_ERASURE_RECORDS = 1000;

const id = z.string().uuid({ message: 'must be a UUID' });

/**
 * `POST /api/v1/erasures` (docs/decisions/0036-erasure-and-access-requests.md): a golden record
 * with all its members, or single records; `dryRun` answers what would be erased and changes
 * nothing. The reason is kept with the tombstone, so it must say why, not whose.
 */
export const erasureInput = z
  .object({
    customerId: id.optional(),
    recordIds: z
      .array(id)
      .min(1, { message: 'name at least one record' })
      .max(MAX_ERASURE_RECORDS, { message: `at most ${MAX_ERASURE_RECORDS} records per erasure` })
      .optional(),
    reason: z
      .string({ message: 'give a reason' })
      .trim()
      .min(3, { message: 'give a reason (at least 3 characters)' })
      .max(2000)
      .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE }),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .refine((r) => (r.customerId === undefined) !== (r.recordIds === undefined), {
    message: 'give customerId or recordIds, not both',
    path: ['customerId'],
  });
export type ErasureInput = z.infer<typeof erasureInput>;

/** `GET /api/v1/people/:customerId/export`: everything Nexus holds about the person. */
export const personExportInput = z.object({ customerId: id });
