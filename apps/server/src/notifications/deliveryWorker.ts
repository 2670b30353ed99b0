import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import type { SubscriptionKind } from '@nexus/schema';
import type { DeliveryChannels } from './deliveryChannels';
import { envelopeOf } from '../engine/eventRelay';
import { fanOut } from './fanOut';
import { retryDelayMs, type NotificationSettings } from './notificationSettings';
import type { SubscriptionSecrets } from './subscriptionSecrets';

interface ClaimedDelivery {
  id: string;
  subscription_id: string;
  attempts: number;
  first_attempt_at: Date | null;
  kind: SubscriptionKind;
  target: string;
  secret: string | null;
  event_id: string;
  type: string;
  key: string;
  sequence: number;
  schema_version: number;
  source: string | null;
  data: Record<string, unknown>;
  created_at: Date;
}

/**
 * Delivers the outbox: fans new rows out to subscriptions, then runs `concurrency` slots, each
 * taking the next due delivery that heads its (subscription, key) queue with FOR UPDATE SKIP
 * LOCKED, so engines sharing the database never send the same delivery at once and a key's
 * notifications go out one after the other, in sequence. The row stays locked while it is sent
 * and the outcome is written in the same transaction: an engine that dies mid-send leaves the
 * delivery pending, and it is sent again (at least once).
 */
export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly settings: NotificationSettings,
    private readonly channels: DeliveryChannels,
    private readonly secrets: SubscriptionSecrets,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.wake();
  }

  /** Something was stored or changed: look now rather than at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.round().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.again) {
        this.again = false;
        this.wake();
      } else this.timer = setTimeout(() => this.wake(), this.settings.pollMs);
    });
  }

  /** Stops taking work and waits for the deliveries in flight (each bounded by the timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
    this.channels.close();
  }

  private async round(): Promise<void> {
    try {
      await fanOut(this.db);
      await Promise.all(
        Array.from({ length: this.settings.concurrency }, async () => {
          while (!this.stopped && (await this.deliverOne()));
        }),
      );
    } catch (error) {
      this.log.error({ err: error }, 'notification delivery round failed; retrying at the next poll');
    }
  }

  /** Sends the next due delivery, if any; false when there is none. */
  private deliverOne(): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const found = await sql<ClaimedDelivery>`
        select d.id, d.subscription_id, d.attempts, d.first_attempt_at,
               s.kind, s.target, s.secret,
               n.event_id, n.type, n.key, n.sequence, n.schema_version, n.source, n.data, n.created_at
        from notification_deliveries d
        join notification_subscriptions s on s.id = d.subscription_id
        join notifications n on n.id = d.notification_id
        where d.status = 'pending' and d.next_attempt_at <= now()
          and s.state = 'active' and not s.paused
          and not exists (
            select 1 from notification_deliveries e
            where e.subscription_id = d.subscription_id and e.key = d.key and e.status = 'pending'
              and (e.sequence, e.id) < (d.sequence, d.id)
          )
        order by d.next_attempt_at, d.id
        limit 1
        for update of d skip locked
      `.execute(trx);
      const claimed = found.rows[0];
      if (!claimed) return false;
      const secret = claimed.secret
        ? await this.secrets.open(claimed.subscription_id, claimed.secret)
        : undefined;
      const startedAt = new Date();
      const outcome = await this.channels.send(
        { id: claimed.subscription_id, kind: claimed.kind, target: claimed.target, secret },
        envelopeOf(claimed),
        claimed.id,
      );
      const durationMs = Date.now() - startedAt.getTime();
      const attempt = claimed.attempts + 1;
      const firstAttemptAt = claimed.first_attempt_at ?? startedAt;
      let nextAttemptAt: Date | null = null;
      let status: 'delivered' | 'pending' | 'dead_lettered' = 'delivered';
      if (!outcome.ok) {
        nextAttemptAt = new Date(Date.now() + retryDelayMs(attempt, this.settings.retryBaseMs));
        status = 'pending';
        if (nextAttemptAt.getTime() - firstAttemptAt.getTime() > this.settings.retryWindowMs) {
          status = 'dead_lettered';
          nextAttemptAt = null;
        }
      }
      await trx
        .insertInto('notification_delivery_attempts')
        .values({
          delivery_id: claimed.id,
          attempt,
          at: startedAt,
          status_code: outcome.statusCode,
          error: outcome.error,
          duration_ms: durationMs,
          next_attempt_at: nextAttemptAt,
        })
        .execute();
      await trx
        .updateTable('notification_deliveries')
        .set({
          status,
          attempts: attempt,
          first_attempt_at: firstAttemptAt,
          ...(nextAttemptAt ? { next_attempt_at: nextAttemptAt } : {}),
          delivered_at: outcome.ok ? new Date() : null,
          last_status_code: outcome.statusCode,
          last_error: outcome.error,
        })
        .where('id', '=', claimed.id)
        .execute();
      await trx
        .updateTable('notification_subscriptions')
        .set(
          status === 'dead_lettered'
            ? {
                state: 'dead_lettered',
                dead_lettered_at: new Date(),
                last_error: outcome.error,
                updated_at: new Date(),
              }
            : { last_error: outcome.error },
        )
        .where('id', '=', claimed.subscription_id)
        .execute();
      if (status === 'dead_lettered')
        this.log.warn(
          { subscription: claimed.subscription_id, delivery: claimed.id, error: outcome.error },
          'notification subscription dead-lettered after its retry window',
        );
      return true;
    });
  }
}
