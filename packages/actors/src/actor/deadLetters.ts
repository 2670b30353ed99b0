import { sql } from 'kysely';
import { PENDING_RECORD_STATUSES, type RawRecordMessage } from '@nexus/schema';
import type { Db } from '../db/database';
import { appendAudit, ENGINE_ACTOR } from '../pipeline/audit';
import { sealPersonal } from '../privacy/personalFields';

/**
 * A record that failed its whole retry budget: kept with its error and attempts, and its record
 * marked dead_lettered, so it is terminal, visible, and can be replayed.
 */
export async function deadLetterRecord(
  db: Db,
  partition: number,
  offset: number,
  message: RawRecordMessage,
  error: string,
  attempts: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('records')
      .values({
        id: message.recordId,
        batch_id: message.batchId,
        submitted_by_id: message.submittedById ?? null,
        source: message.source,
        external_id: message.record.external_id,
        partition,
        payload: JSON.stringify(sealPersonal(message.record)) as never,
        status: 'relayed',
        received_at: message.receivedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
    const updated = await trx
      .updateTable('records')
      .set({
        status: 'dead_lettered',
        errors: JSON.stringify([{ field: '(processing)', message: error }]) as never,
        decided_at: sql`now()`,
      })
      .where('id', '=', message.recordId)
      .where('status', 'in', PENDING_RECORD_STATUSES)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) return; // decided after all, or already dead-lettered
    const { id } = await trx
      .insertInto('dead_letters')
      .values({
        record_id: message.recordId,
        partition,
        bus_offset: String(offset),
        payload: JSON.stringify(sealPersonal(message)) as never,
        error,
        attempts,
        status: 'open',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, [
      {
        actor: ENGINE_ACTOR,
        action: 'record.dead_lettered',
        entity_type: 'dead_letter',
        entity_id: id,
        record_id: message.recordId,
        before: null,
        after: { error, attempts, partition, offset },
      },
    ]);
  });
}
