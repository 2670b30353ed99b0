import { z } from 'zod';

/** The decisions a batch's records can be filtered by; `pending` is received or relayed. */
export const BATCH_RECORD_FILTERS = [
  'pending',
  'new',
  'linked',
  'review',
  'rejected',
  'dead_lettered',
  'cancelled',
] as const;

export const batchRecordsInput = z.object({
  batchId: z.string().uuid({ message: 'must be a UUID' }),
  status: z.enum(BATCH_RECORD_FILTERS).optional(),
  cursor: z.string().uuid({ message: 'must be a UUID' }).optional(),
  limit: z.number().int().min(1).max(500).default(100),
});
