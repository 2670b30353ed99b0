import type { Logger } from 'pino';
import { createDb, type Db } from '@nexus/actors';
import type { Config } from '../config';
import type { EventRelay } from '../engine/eventRelay';
import type { ShutdownRegistry } from '../lifecycle/shutdown';
import { DeliveryChannels } from './deliveryChannels';
import { DeliveryWorker } from './deliveryWorker';
import { notificationSettings } from './notificationSettings';
import { createOutboxNotifier, type OutboxNotifier } from './outboxNotifier';
import { SubscriptionSecrets } from './subscriptionSecrets';
import type { SubscriptionsDeps } from './subscriptionsService';

/** What the API and the features are given: the port to announce through, and the subscriptions' services. */
export interface Notifications {
  notifier: OutboxNotifier;
  subscriptions: SubscriptionsDeps;
  /** Calls `listener` after events reach the log on this server; answers the unsubscribe. */
  news(listener: () => void): () => void;
}

/**
 * The outbox notifier and its delivery worker, on a small pool of their own (a slot holds a
 * connection while it sends) so slow receivers never take the API's connections, nor the API's
 * callers the notifier's. Registered in
 * `shutdown`: the worker stops taking work and finishes what it is sending.
 */
export function startNotifications(
  config: Config,
  /** The server's pool, for the API's reads and changes. */
  apiDb: Db,
  databaseUrl: string,
  resolveKey: () => Promise<Buffer>,
  logger: Logger,
  shutdown: ShutdownRegistry,
  /** The engine's event relay: told when notify() wrote, tells when the log grew. */
  events: Pick<EventRelay, 'kick' | 'onRelayed'>,
): Notifications {
  const settings = notificationSettings(config);
  const db = createDb(databaseUrl, {
    maxConnections: settings.concurrency + 2,
    applicationName: 'nexus-notifications',
  });
  shutdown.register('notifications database pool', () => db.destroy());
  const secrets = new SubscriptionSecrets(resolveKey);
  const worker = new DeliveryWorker(db, settings, new DeliveryChannels(settings), secrets, logger);
  const notifier = createOutboxNotifier(db);
  const listeners = new Set<() => void>();
  notifier.onStored(() => events.kick());
  const unsubscribe = events.onRelayed(() => {
    worker.wake();
    for (const listener of [...listeners]) listener();
  });
  shutdown.register('notification wake-ups', () => void unsubscribe());
  worker.start();
  shutdown.register('notification delivery', () => worker.stop());
  return {
    notifier,
    subscriptions: { db: apiDb, secrets, settings, wake: () => worker.wake() },
    news(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
