import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/** Inputs of the notifications API (docs/decisions/0035-notification-delivery.md). */

/** Dotted event types (`job.completed`); `*` matches every type. */
const eventType = z
  .string()
  .trim()
  .max(100)
  .regex(/^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+)$/, {
    message: 'must be an event type such as job.completed, or *',
  });

const events = z
  .array(eventType, { message: 'must be a list of event types' })
  .min(1, { message: 'name at least one event type, e.g. ["job.completed", "job.failed"]' })
  .max(50)
  .transform((list) => [...new Set(list)]);

/** Only events from these data sources (a record's `source`); left out: every source. */
const sources = z
  .array(
    z
      .string({ message: 'must be a list of source names' })
      .trim()
      .min(1, { message: 'a source name may not be empty' })
      .max(200)
      .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE }),
    { message: 'must be a list of source names' },
  )
  .min(1, { message: 'name at least one source, or leave sources out for every source' })
  .max(50)
  .transform((list) => [...new Set(list)])
  .optional();

const url = z
  .string({ message: 'is required (an http or https URL)' })
  .trim()
  .max(2048)
  .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE })
  .refine(
    (u) => {
      try {
        const parsed = new URL(u);
        return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http or https URL' },
  );

/** A signing secret chosen by the subscriber (otherwise one is generated). */
const secret = z
  .string()
  .min(16, { message: 'must be at least 16 characters' })
  .max(256)
  .refine((s) => /^[\x21-\x7e]+$/.test(s), { message: 'must be printable ASCII without spaces' });

const email = z
  .string({ message: 'is required (an email address)' })
  .trim()
  .max(254)
  .regex(/^[^@\s<>,;"]+@[^@\s<>,;"]+\.[^@\s<>,;"]+$/, { message: 'must be one email address' });

/** `POST /api/v1/webhooks`: a webhook (the default kind), a Slack incoming webhook, or an email address. */
export const createSubscriptionInput = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('webhook'), url, events, sources, secret: secret.optional() }).strict(),
    z.object({ kind: z.literal('slack'), url, events, sources }).strict(),
    z.object({ kind: z.literal('email'), to: email, events, sources }).strict(),
  ],
  { message: 'kind must be webhook, slack or email' },
);

/** The REST body: `kind` may be left out for a webhook. */
export const createSubscriptionBody = z.preprocess(
  (body) =>
    body && typeof body === 'object' && !Array.isArray(body) && !('kind' in body)
      ? { ...body, kind: 'webhook' }
      : body,
  createSubscriptionInput,
);

export type CreateSubscriptionInput = z.infer<typeof createSubscriptionInput>;

export const subscriptionIdInput = z.object({
  id: z.string().uuid({ message: 'must be a subscription id (a UUID)' }),
});

export const deliveryIdInput = subscriptionIdInput.extend({
  deliveryId: z.coerce
    .number({ message: 'must be a delivery id (a number)' })
    .int({ message: 'must be a delivery id (a number)' })
    .min(1)
    .max(Number.MAX_SAFE_INTEGER),
});

export const deliveriesInput = subscriptionIdInput.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** Deliveries older than this id (the page before). */
  before: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});

/** Replay: every notification from this moment on is delivered again. */
export const replayInput = subscriptionIdInput.extend({
  from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time, e.g. 2026-12-03T08:00:00Z' }),
});

/** `GET /api/v1/events?after=CURSOR&limit=&wait=`: the outbox after a position, waiting for news. */
export const eventsInput = z.object({
  after: z
    .string()
    .regex(/^\d{1,18}$/, { message: 'must be a cursor from a previous answer (digits)' })
    .default('0'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Seconds to wait when nothing is there yet (long poll); 0 answers at once. */
  wait: z.coerce.number().int().min(0).max(60).default(30),
  type: z.string().trim().max(100).optional(),
  /** Only events of this data source. */
  source: z.string().trim().min(1).max(200).optional(),
});
