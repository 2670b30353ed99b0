import { z } from 'zod';

/** Topics of the Kafka deployment, beside `raw_records` (busMessages.ts). */
export const NEXUS_EVENTS_TOPIC = 'nexus.events';
export const DEAD_LETTERS_TOPIC = 'nexus.dead-letters';

/** The envelope's `schemaVersion`: raised when a payload changes incompatibly. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * Audit actions that are published as events, keyed by the audited entity (a golden record, a
 * review case, a dead letter or a record). The database trigger of migration
 * 2026_12_03_0048_event_stream publishes exactly these; a test keeps the two lists equal.
 */
export const PUBLISHED_AUDIT_ACTIONS = [
  'golden_record.created',
  'golden_record.linked',
  'golden_record.merged',
  'golden_record.merged_into',
  'golden_record.split',
  'golden_record.created_by_split',
  'golden_record.resettled',
  'golden_record.erased',
  'review_case.opened',
  'review_case.claimed',
  'review_case.released',
  'review_case.resolved',
  'record.dead_lettered',
  'record.replayed',
  'record.erased',
  'dead_letter.discarded',
] as const;

/** The payload of an event made from an audit entry: who did what to which entity (best values' field names, never values). */
export const auditEventDataSchema = z.object({
  entityType: z.enum(['golden_record', 'review_case', 'record', 'dead_letter']),
  entityId: z.string(),
  recordId: z.string().uuid().nullable(),
  actor: z.string(),
  after: z.record(z.string(), z.unknown()).nullable(),
});

/** `record.decided`: a record reached a terminal state (the engine's decision, or a reviewer's). */
export const recordDecidedDataSchema = z.object({
  recordId: z.string().uuid(),
  source: z.string(),
  externalId: z.string(),
  batchId: z.string().uuid().nullable(),
  status: z.enum(['new', 'linked', 'review', 'rejected', 'dead_lettered', 'cancelled']),
  rule: z.string().nullable(),
  goldenId: z.string().uuid().nullable(),
  caseId: z.string().uuid().nullable(),
});

/** `golden_record.survivorship_changed`: a change (cause) altered these best values of the golden record. */
export const survivorshipChangedDataSchema = z.object({
  goldenId: z.string(),
  changedFields: z.array(z.string()),
  cause: z.string(),
  recordId: z.string().uuid().nullable(),
  actor: z.string(),
});

/** `job.*`: a job's summary (docs/decisions/0033-jobs.md); its fields grow with the job feature. */
export const jobEventDataSchema = z.object({ status: z.string().optional() }).catchall(z.unknown());

/** Every event type, with the schema of its `data`. */
export const EVENT_PAYLOADS = {
  'record.decided': recordDecidedDataSchema,
  'golden_record.survivorship_changed': survivorshipChangedDataSchema,
  ...(Object.fromEntries(PUBLISHED_AUDIT_ACTIONS.map((a) => [a, auditEventDataSchema])) as Record<
    (typeof PUBLISHED_AUDIT_ACTIONS)[number],
    typeof auditEventDataSchema
  >),
  'job.completed': jobEventDataSchema,
  'job.failed': jobEventDataSchema,
  'job.cancelled': jobEventDataSchema,
} as const;
export type EventType = keyof typeof EVENT_PAYLOADS;
export const EVENT_TYPES = Object.keys(EVENT_PAYLOADS) as EventType[];

/**
 * One event as every consumer sees it, on Kafka (`nexus.events`, message key = `key`), in a
 * webhook body and in `GET /api/v1/events`. `id` is stable across redelivery: de-duplicate on it.
 * `sequence` counts the events of one `key` from 1 with no gaps: a consumer that sees n+2 after n
 * missed one. `source` is the data source of the record behind it, when there is one.
 */
export const eventEnvelopeSchema = z.object({
  id: z.string(),
  type: z.string(),
  key: z.string(),
  sequence: z.number().int().min(1),
  schemaVersion: z.number().int().min(1),
  source: z.string().nullable(),
  createdAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** Parses an envelope and its payload against the schema of its type (unknown types: envelope only). */
export function parseEvent(value: unknown): EventEnvelope {
  const envelope = eventEnvelopeSchema.parse(value);
  const payload = (EVENT_PAYLOADS as Record<string, z.ZodType>)[envelope.type];
  if (payload) payload.parse(envelope.data);
  return envelope;
}

/** What travels on `nexus.dead-letters`: the original message and why it was given up. */
export const deadLetterMessageSchema = z.object({
  id: z.string(),
  recordId: z.string(),
  partition: z.number().int(),
  offset: z.number().int(),
  error: z.string(),
  attempts: z.number().int(),
  message: z.unknown(),
});
export type DeadLetterMessage = z.infer<typeof deadLetterMessageSchema>;
