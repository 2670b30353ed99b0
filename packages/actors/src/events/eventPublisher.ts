import type { DeadLetterMessage, NexusEvent } from '@nexus/schema';

/**
 * Where decision events go outside the process (the live WebSocket feed is fed in-process).
 * Kafka: `nexus.events` and `nexus.dead-letters`. Without Kafka nothing is published: the
 * audit log and the records table are the durable history, and the API reads them.
 */
export interface EventPublisher {
  publishEvents(events: readonly NexusEvent[]): Promise<void>;
  publishDeadLetters(letters: readonly DeadLetterMessage[]): Promise<void>;
}
