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
 * The Notifier behind the port: notify() writes one outbox row in a short transaction of its own
 * (never the caller's) and returns. Nothing about subscribers happens here, so a receiver that is
 * down, slow or hanging cannot block or fail the caller; the delivery worker does the rest.
 *
 * Rows are written under one transaction-level advisory lock, so outbox ids commit in id order:
 * a reader's cursor (`id > n`) never passes a row that commits later. The sequence per key comes
 * from notification_keys in the same transaction.
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
      const data = JSON.parse(JSON.stringify(notification.data ?? {})) as Record<string, unknown>;
      await db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(hashtext('nexus.notifications.outbox'))`.execute(trx);
        const { sequence } = await trx
          .insertInto('notification_keys')
          .values({ key, sequence: 1 })
          .onConflict((oc) => oc.column('key').doUpdateSet({ sequence: sql`notification_keys.sequence + 1` }))
          .returning('sequence')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('notifications')
          .values({ type, key, sequence, data: JSON.stringify(data) as never })
          .execute();
      });
      for (const listener of listeners) listener();
    },
  };
}
