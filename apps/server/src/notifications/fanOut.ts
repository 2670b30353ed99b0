import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { required } from '@nexus/schema';

/** Outbox rows one subscription takes per transaction. */
const FAN_OUT_BATCH = 500;

/**
 * Gives each subscription a delivery for every outbox row past its cursor that its filter wants,
 * and moves the cursor on, in one transaction per subscription (skipped when another engine holds
 * it). The filter is the event types (or `*`) and, when given, the data sources. Paused and dead-lettered subscriptions are fanned out too: their deliveries wait, nothing
 * is lost. A row that already waits for this subscription (a replay over it) is not queued twice.
 * Answers how many deliveries were created.
 */
export async function fanOut(db: Db): Promise<number> {
  const subscriptions = await db.selectFrom('notification_subscriptions').select('id').execute();
  let created = 0;
  for (const { id } of subscriptions) {
    for (;;) {
      const step = await db.transaction().execute(async (trx) => {
        const sub = await trx
          .selectFrom('notification_subscriptions')
          .select(['cursor', 'event_types', 'sources'])
          .where('id', '=', id)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!sub) return { scanned: 0, created: 0 };
        const result = await sql<{ scanned: string; created: string }>`
          with batch as (
            select id, type, key, sequence, source from notifications
            where id > ${sub.cursor} order by id limit ${FAN_OUT_BATCH}
          ),
          queued as (
            insert into notification_deliveries (subscription_id, notification_id, key, sequence)
            select ${id}::uuid, b.id, b.key, b.sequence from batch b
            where (b.type = any(${sub.event_types}::text[]) or '*' = any(${sub.event_types}::text[]))
              and (${sub.sources}::text[] is null or b.source = any(${sub.sources}::text[]))
              and not exists (
                select 1 from notification_deliveries d
                where d.subscription_id = ${id}::uuid and d.notification_id = b.id and d.status = 'pending'
              )
            order by b.id
            returning 1
          ),
          moved as (
            update notification_subscriptions set cursor = (select max(id) from batch)
            where id = ${id}::uuid and exists (select 1 from batch)
            returning 1
          )
          select (select count(*) from batch) as scanned, (select count(*) from queued) as created
        `.execute(trx);
        const row = required(result.rows[0], `fanOut: row of counts for subscription ${id}`);
        return { scanned: Number(row.scanned), created: Number(row.created) };
      });
      created += step.created;
      if (step.scanned < FAN_OUT_BATCH) break;
    }
  }
  return created;
}
