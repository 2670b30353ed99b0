import type { DeadLetterMessage, EventEnvelope } from '@nexus/schema';

/**
 * Where events go outside Postgres. Kafka: `nexus.events` (fed by the event relay from the
 * outbox, so it carries exactly what subscribers and `GET /api/v1/events` see) and
 * `nexus.dead-letters` (the failed messages themselves, for tools that replay them).
 */
export interface EventPublisher {
  publishEvents(events: readonly EventEnvelope[]): Promise<void>;
  publishDeadLetters(letters: readonly DeadLetterMessage[]): Promise<void>;
}
