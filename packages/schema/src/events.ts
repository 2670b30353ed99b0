import { z } from 'zod';

/** Topics of the Kafka deployment, beside `raw_records` (busMessages.ts). */
export const NEXUS_EVENTS_TOPIC = 'nexus.events';
export const DEAD_LETTERS_TOPIC = 'nexus.dead-letters';

/**
 * What Nexus tells the outside world on `nexus.events`: a record's decision, and every audited
 * change to a golden record or a review case. Every event is derived from committed rows, so a
 * redelivered one carries the same `id`: consumers de-duplicate on it. `key` is the Kafka message
 * key: the entity the event is about, so events of one golden record (or case) stay in order.
 */
export const nexusEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  key: z.string(),
  at: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type NexusEvent = z.infer<typeof nexusEventSchema>;

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
