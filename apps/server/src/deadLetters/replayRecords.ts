import { sql } from 'kysely';
import { busMessageOfRecord } from '../engine/relay';
import { appendAudit, type Db, type RecordBus } from '@nexus/actors';

export type ReplaySelection = { recordIds: string[] } | { batchId: string };

/**
 * Puts dead-lettered records back on the bus. In one transaction: the records go back to
 * `relayed` (their rows stay locked while the bus takes the messages, so a decider waits for this
 * commit), their open dead letters are marked replayed, their batches reopened, and each replay
 * is audited. If the commit fails after publishing, the deciders find the records still
 * dead-lettered (terminal) and skip them: nothing is decided twice.
 */
export async function replayDeadLettered(
  db: Db,
  bus: RecordBus,
  selection: ReplaySelection,
  actor: string,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('records')
      .select(['id', 'batch_id', 'source', 'external_id', 'payload', 'received_at'])
      .where('status', '=', 'dead_lettered')
      // An erased record has nothing left to decide (issue 18): it stays a tombstone.
      .where('erased_at', 'is', null)
      .orderBy('received_at')
      .orderBy('id')
      .forUpdate();
    query =
      'batchId' in selection
        ? query.where('batch_id', '=', selection.batchId)
        : query.where('id', 'in', selection.recordIds);
    if ('recordIds' in selection && selection.recordIds.length === 0) return 0;
    const rows = await query.execute();
    if (rows.length === 0) return 0;
    const ids = rows.map((r) => r.id);
    await trx
      .updateTable('records')
      .set({ status: 'relayed', errors: null, decided_at: null, relayed_at: sql`now()` })
      .where('id', 'in', ids)
      .execute();
    const letters = await trx
      .updateTable('dead_letters')
      .set({ status: 'replayed', resolved_by: actor, resolved_at: sql`now()` })
      .where('record_id', 'in', ids)
      .where('status', '=', 'open')
      .returning(['id', 'record_id'])
      .execute();
    const letterOf = new Map(letters.map((l) => [l.record_id, l.id]));
    const batchIds = [...new Set(rows.flatMap((r) => (r.batch_id ? [r.batch_id] : [])))];
    if (batchIds.length > 0) {
      await trx
        .updateTable('batches')
        .set({ status: 'processing', completed_at: null, updated_at: sql`now()` })
        .where('id', 'in', batchIds)
        .where('status', 'in', ['completed', 'failed', 'processing'])
        .execute();
    }
    await appendAudit(
      trx,
      rows.map((r) => {
        const letter = letterOf.get(r.id);
        return {
          actor,
          action: 'record.replayed',
          entity_type: letter ? ('dead_letter' as const) : ('record' as const),
          entity_id: letter ?? r.id,
          record_id: r.id,
          before: { status: 'dead_lettered' },
          after: { status: 'relayed' },
        };
      }),
    );
    const messages = rows.map(busMessageOfRecord);
    await bus.publish(messages);
    return rows.length;
  });
}
