import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { Notification, Notifier } from './notifier';

/** Longest key and type stored; a feature that sends more has a bug, and is told so. */
const MAX_KEY_LENGTH = 500;
const TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** A notification a feature got wrong (not a subscriber's problem: subscribers never make notify throw). */
export class NotificationInvalid extends Error {
  readonly code = 'NOTIFICATION.INVALID';
}

export interface OutboxNotifier extends Notifier {
  /** Called after each notification is stored: the local delivery worker wakes at once. */
  onStored(listener: () => void): void;
}

/**
 * The Notifier behind the port: notify() writes one row to the event outbox (the same one the
 * engine's changes write to, with the key's next sequence) in a short transaction of its own
 * (never the caller's) and returns. Nothing about subscribers happens here, so a receiver that is
 * down, slow or hanging cannot block or fail the caller; the event relay carries the row to Kafka
 * and the log, and the delivery worker does the rest (docs/decisions/0048-one-event-stream.md).
 */
export function createOutboxNotifier(db: Db): OutboxNotifier {
  const listeners: Array<() => void> = [];
  return {
    onStored(listener) {
      listeners.push(listener);
    },
    async notify(notification: Notification): Promise<void> {
      const { type, key } = notification;
      if (!TYPE.test(type))
        throw new NotificationInvalid(`notification type ${JSON.stringify(type)} is not dotted`);
      if (key === '' || key.length > MAX_KEY_LENGTH)
        throw new NotificationInvalid(`notification key must be 1 to ${MAX_KEY_LENGTH} characters`);
      // Serialised once here, so a value JSON cannot carry fails now, in the feature's own test.
      const data = JSON.stringify(JSON.parse(JSON.stringify(notification.data ?? {})));
      await sql`select nexus_stage_event(gen_random_uuid()::text, ${type}, ${key}, null, ${data}::jsonb, now())`.execute(
        db,
      );
      for (const listener of listeners) listener();
    },
  };
}
