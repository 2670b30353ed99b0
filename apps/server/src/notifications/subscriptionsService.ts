import { randomUUID } from 'node:crypto';
import { sql, type UpdateObject } from 'kysely';
import type { Db } from '@nexus/actors';
import type {
  CreateSubscriptionInput,
  Database,
  DeliveryStatus,
  SubscriptionKind,
  SubscriptionState,
} from '@nexus/schema';
import { DomainError } from '../errors/domainError';
import type { NotificationSettings } from './notificationSettings';
import { generateWebhookSecret, type SubscriptionSecrets } from './subscriptionSecrets';
import { WebhookAddresses } from './webhookAddresses';
import { required } from '@nexus/schema';

/** A subscription as the API shows it: never its secret (that is answered once, at creation). */
export interface SubscriptionView {
  id: string;
  kind: SubscriptionKind;
  /** The URL (webhook, slack); null for email. */
  url: string | null;
  /** The address (email); null otherwise. */
  to: string | null;
  events: string[];
  /** Only events of these data sources; null: every source. */
  sources: string[] | null;
  paused: boolean;
  state: SubscriptionState;
  deadLetteredAt: string | null;
  lastError: string | null;
  /** Deliveries waiting (due, backing off, or held by a pause or the dead-letter state). */
  pending: number;
  /** The last outbox position given to this subscription. */
  cursor: string;
  createdBy: string;
  createdAt: string;
}

export interface DeliveryAttemptView {
  attempt: number;
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  nextAttemptAt: string | null;
}

export interface DeliveryView {
  id: string;
  eventId: string;
  type: string;
  key: string;
  sequence: number;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  attemptLog: DeliveryAttemptView[];
}

export interface SubscriptionsDeps {
  db: Db;
  secrets: SubscriptionSecrets;
  settings: NotificationSettings;
  /** Wakes the local delivery worker after a change that may free work. */
  wake(): void;
}

const notFound = () => new DomainError('SUBSCRIPTION.NOT_FOUND', 'no such subscription');

/** Creates a subscription; the answer carries the webhook's signing secret, this once. */
export async function createSubscription(
  deps: SubscriptionsDeps,
  input: CreateSubscriptionInput,
  createdBy: string,
): Promise<SubscriptionView & { secret?: string }> {
  if (input.kind === 'email' && !deps.settings.smtpUrl)
    throw new DomainError(
      'SUBSCRIPTION.EMAIL_NOT_CONFIGURED',
      'email subscriptions need an SMTP server: set NEXUS_SMTP_URL (and NEXUS_SMTP_FROM)',
    );
  if (input.kind !== 'email') {
    const refusal = await new WebhookAddresses(deps.settings.urlHosts).refusal(input.url);
    if (refusal)
      throw new DomainError('SUBSCRIPTION.URL_NOT_ALLOWED', `this URL may not be subscribed: ${refusal}`, {
        fields: [{ field: 'url', message: refusal }],
      });
  }
  const id = randomUUID();
  const secret = input.kind === 'webhook' ? (input.secret ?? generateWebhookSecret()) : undefined;
  // A Slack incoming-webhook URL is itself the credential: sealed like a secret, shown masked.
  const sealed = input.kind === 'webhook' ? secret : input.kind === 'slack' ? input.url : undefined;
  // Starts at the outbox's end: a new subscriber hears what happens from now on (replay reaches back).
  const end = await deps.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('id').as('last'))
    .executeTakeFirst();
  await deps.db
    .insertInto('notification_subscriptions')
    .values({
      id,
      kind: input.kind,
      target: input.kind === 'email' ? input.to : input.kind === 'slack' ? maskedUrl(input.url) : input.url,
      event_types: input.events,
      sources: input.sources ?? null,
      secret: sealed ? await deps.secrets.seal(id, sealed) : null,
      cursor: end?.last ?? '0',
      created_by: createdBy,
    })
    .execute();
  const view = await getSubscription(deps.db, id);
  return secret ? { ...view, secret } : view;
}

export async function listSubscriptions(db: Db): Promise<SubscriptionView[]> {
  const rows = await selectViews(db).orderBy('s.created_at').execute();
  return rows.map(toView);
}

export async function getSubscription(db: Db, id: string): Promise<SubscriptionView> {
  const row = await selectViews(db).where('s.id', '=', id).executeTakeFirst();
  if (!row) throw notFound();
  return toView(row);
}

export async function deleteSubscription(db: Db, id: string): Promise<void> {
  const deleted = await db.deleteFrom('notification_subscriptions').where('id', '=', id).executeTakeFirst();
  if (deleted.numDeletedRows === 0n) throw notFound();
}

/** Holds deliveries (they keep being queued); resume sends them, in order. */
export async function pauseSubscription(deps: SubscriptionsDeps, id: string): Promise<SubscriptionView> {
  await update(deps.db, id, { paused: true });
  return getSubscription(deps.db, id);
}

/**
 * Sends again: unpauses, and takes a dead-lettered subscription back to active with its
 * dead-lettered deliveries queued again (a fresh retry window each).
 */
export async function resumeSubscription(deps: SubscriptionsDeps, id: string): Promise<SubscriptionView> {
  await deps.db.transaction().execute(async (trx) => {
    await update(trx, id, { paused: false, state: 'active', dead_lettered_at: null });
    await trx
      .updateTable('notification_deliveries')
      .set({ status: 'pending', first_attempt_at: null, next_attempt_at: new Date() })
      .where('subscription_id', '=', id)
      .where('status', '=', 'dead_lettered')
      .execute();
  });
  deps.wake();
  return getSubscription(deps.db, id);
}

/** Delivers again every notification stored from `from` on (at least once: receivers drop repeats by id). */
export async function replaySubscription(
  deps: SubscriptionsDeps,
  id: string,
  from: Date,
): Promise<SubscriptionView & { replayFrom: string }> {
  const before = await deps.db
    .selectFrom('notifications')
    .select((eb) => eb.fn.max('id').as('last'))
    .where('created_at', '<', from)
    .executeTakeFirst();
  const position = before?.last ?? '0';
  // Only back: a replay never skips what the subscription has not been given yet.
  await update(deps.db, id, { cursor: sql<string>`least(cursor, ${position}::bigint)` });
  deps.wake();
  return { ...(await getSubscription(deps.db, id)), replayFrom: from.toISOString() };
}

/** The delivery log, newest first, each with its attempts. */
export async function listDeliveries(
  db: Db,
  id: string,
  page: { limit: number; before?: number | undefined },
): Promise<DeliveryView[]> {
  await getSubscription(db, id);
  let query = deliveriesQuery(db).where('d.subscription_id', '=', id);
  if (page.before !== undefined) query = query.where('d.id', '<', String(page.before));
  const rows = await query.orderBy('d.id', 'desc').limit(page.limit).execute();
  return withAttempts(db, rows);
}

/**
 * Sends one delivery again, now: a dead-lettered one is queued again (and its subscription made
 * active), a pending one is tried at once, a delivered one is queued as a new delivery.
 */
export async function redeliver(
  deps: SubscriptionsDeps,
  id: string,
  deliveryId: number,
): Promise<DeliveryView> {
  const queuedId = await deps.db.transaction().execute(async (trx) => {
    const delivery = await trx
      .selectFrom('notification_deliveries')
      .select(['id', 'status', 'notification_id', 'key', 'sequence'])
      .where('id', '=', String(deliveryId))
      .where('subscription_id', '=', id)
      .executeTakeFirst();
    if (!delivery) throw new DomainError('DELIVERY.NOT_FOUND', 'no such delivery of this subscription');
    await update(trx, id, { state: 'active', dead_lettered_at: null });
    if (delivery.status === 'delivered') {
      const copy = await trx
        .insertInto('notification_deliveries')
        .values({
          subscription_id: id,
          notification_id: delivery.notification_id,
          key: delivery.key,
          sequence: delivery.sequence,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return copy.id;
    }
    await trx
      .updateTable('notification_deliveries')
      .set({
        status: 'pending',
        next_attempt_at: new Date(),
        ...(delivery.status === 'dead_lettered' ? { first_attempt_at: null } : {}),
      })
      .where('id', '=', delivery.id)
      .execute();
    return delivery.id;
  });
  deps.wake();
  const rows = await deliveriesQuery(deps.db).where('d.id', '=', queuedId).execute();
  const [view] = await withAttempts(deps.db, rows);
  return required(view, `delivery ${queuedId}, just queued again,`);
}

async function update(
  db: Db,
  id: string,
  values: UpdateObject<Database, 'notification_subscriptions'>,
): Promise<void> {
  const result = await db
    .updateTable('notification_subscriptions')
    .set(values)
    .set({ updated_at: new Date() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notFound();
}

function selectViews(db: Db) {
  return db
    .selectFrom('notification_subscriptions as s')
    .select([
      's.id',
      's.kind',
      's.target',
      's.event_types',
      's.sources',
      's.paused',
      's.state',
      's.dead_lettered_at',
      's.last_error',
      's.cursor',
      's.created_by',
      's.created_at',
    ])
    .select((eb) =>
      eb
        .selectFrom('notification_deliveries as d')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('d.subscription_id', '=', 's.id')
        .where('d.status', '=', 'pending')
        .as('pending'),
    );
}

type ViewRow = Awaited<ReturnType<ReturnType<typeof selectViews>['executeTakeFirstOrThrow']>>;

function toView(row: ViewRow): SubscriptionView {
  return {
    id: row.id,
    kind: row.kind,
    url: row.kind === 'email' ? null : row.kind === 'slack' ? row.target : withoutPassword(row.target),
    to: row.kind === 'email' ? row.target : null,
    events: row.event_types,
    sources: row.sources,
    paused: row.paused,
    state: row.state,
    deadLetteredAt: row.dead_lettered_at?.toISOString() ?? null,
    lastError: row.last_error,
    pending: Number(row.pending ?? 0),
    cursor: String(row.cursor),
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
  };
}

function deliveriesQuery(db: Db) {
  return db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notifications as n', 'n.id', 'd.notification_id')
    .select([
      'd.id',
      'n.event_id',
      'n.type',
      'd.key',
      'd.sequence',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.delivered_at',
      'd.last_status_code',
      'd.last_error',
      'd.created_at',
    ]);
}

type DeliveryRow = Awaited<ReturnType<ReturnType<typeof deliveriesQuery>['executeTakeFirstOrThrow']>>;

async function withAttempts(db: Db, rows: DeliveryRow[]): Promise<DeliveryView[]> {
  const ids = rows.map((r) => r.id);
  const attempts =
    ids.length === 0
      ? []
      : await db
          .selectFrom('notification_delivery_attempts')
          .selectAll()
          .where('delivery_id', 'in', ids)
          .orderBy('attempt')
          .execute();
  return rows.map((r) => ({
    id: String(r.id),
    eventId: r.event_id,
    type: r.type,
    key: r.key,
    sequence: r.sequence,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' ? r.next_attempt_at.toISOString() : null,
    deliveredAt: r.delivered_at?.toISOString() ?? null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    createdAt: r.created_at.toISOString(),
    attemptLog: attempts
      .filter((a) => String(a.delivery_id) === String(r.id))
      .map((a) => ({
        attempt: a.attempt,
        at: a.at.toISOString(),
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
        nextAttemptAt: a.next_attempt_at?.toISOString() ?? null,
      })),
  }));
}

/** A Slack URL as shown: its origin only (the path is the credential). */
function maskedUrl(url: string): string {
  return `${new URL(url).origin}/…`;
}

/** A webhook URL as shown: a password in it is not for operators' eyes. */
function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password === '') return url;
  parsed.password = '…';
  return parsed.href;
}
