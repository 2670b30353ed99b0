import { sql, type Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add a new one instead.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Notifications (docs/decisions/0035-notification-delivery.md): an outbox of what happened, the
 * subscriptions that want to hear about it, and one row per delivery with its attempts.
 *
 * notifications.id is the outbox position: rows are written under one advisory lock, so ids
 * commit in order and a cursor (`id > n`) never skips a row that commits late. The sequence per
 * key comes from notification_keys, written in the same transaction.
 *
 * A subscription's cursor is the last outbox id it has been given deliveries for; replay moves it
 * back. Deliveries carry key and sequence so the worker can find the head of each key's queue.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table notifications (
      id bigserial primary key,
      event_id uuid not null unique default gen_random_uuid(),
      type text not null,
      key text not null,
      sequence integer not null,
      data jsonb not null,
      created_at timestamptz not null default now(),
      unique (key, sequence)
    );
    create index notifications_created_at on notifications (created_at);

    create table notification_keys (
      key text primary key,
      sequence integer not null
    );

    create table notification_subscriptions (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('webhook', 'slack', 'email')),
      target text not null,
      event_types text[] not null,
      secret text,
      paused boolean not null default false,
      state text not null default 'active' check (state in ('active', 'dead_lettered')),
      cursor bigint not null,
      dead_lettered_at timestamptz,
      last_error text,
      created_by text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table notification_deliveries (
      id bigserial primary key,
      subscription_id uuid not null references notification_subscriptions (id) on delete cascade,
      notification_id bigint not null references notifications (id),
      key text not null,
      sequence integer not null,
      status text not null default 'pending' check (status in ('pending', 'delivered', 'dead_lettered')),
      attempts integer not null default 0,
      first_attempt_at timestamptz,
      next_attempt_at timestamptz not null default now(),
      delivered_at timestamptz,
      last_status_code integer,
      last_error text,
      created_at timestamptz not null default now()
    );
    create index notification_deliveries_due on notification_deliveries (next_attempt_at)
      where status = 'pending';
    create index notification_deliveries_queue on notification_deliveries (subscription_id, key, sequence, id)
      where status = 'pending';
    create index notification_deliveries_log on notification_deliveries (subscription_id, id desc);

    create table notification_delivery_attempts (
      id bigserial primary key,
      delivery_id bigint not null references notification_deliveries (id) on delete cascade,
      attempt integer not null,
      at timestamptz not null,
      status_code integer,
      error text,
      duration_ms integer not null,
      next_attempt_at timestamptz
    );
    create index notification_delivery_attempts_delivery on notification_delivery_attempts (delivery_id, attempt);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    drop table notification_delivery_attempts;
    drop table notification_deliveries;
    drop table notification_subscriptions;
    drop table notification_keys;
    drop table notifications;
  `.execute(db);
}
