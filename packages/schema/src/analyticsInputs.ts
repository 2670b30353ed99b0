import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/** Inputs of the analytics API (docs/decisions/0030-daily-rollups.md). */

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function isCalendarDay(text: string): boolean {
  if (!DAY.test(text)) return false;
  return new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;
}

const day = z
  .string({ message: 'is required (YYYY-MM-DD)' })
  .refine(isCalendarDay, { message: 'must be a calendar day written YYYY-MM-DD' });

/** A range of days (both ends included), optionally of one source, in UTC or the configured zone. */
export const analyticsRangeInput = z
  .object({
    from: day,
    to: day,
    source: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE })
      .optional(),
    /** `UTC` (the default) or the server's configured zone (NEXUS_ANALYTICS_TIME_ZONE). */
    zone: z.string().trim().min(1).max(64).optional(),
  })
  .refine((r) => !isCalendarDay(r.from) || !isCalendarDay(r.to) || r.from <= r.to, {
    message: 'must not be after `to`',
    path: ['from'],
  });

export type AnalyticsRangeInput = z.infer<typeof analyticsRangeInput>;

/** A rollup asked for over the API: the same range, no source (every source is rolled up). */
export const analyticsRollupInput = z
  .object({ from: day, to: day })
  .refine((r) => !isCalendarDay(r.from) || !isCalendarDay(r.to) || r.from <= r.to, {
    message: 'must not be after `to`',
    path: ['from'],
  });

export const analyticsRunsInput = z
  .object({ limit: z.number().int().min(1).max(200).default(20) })
  .optional();
