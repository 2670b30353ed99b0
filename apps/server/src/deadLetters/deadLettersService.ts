import { sql } from 'kysely';
import { appendAudit, type Db, type RecordBus } from '@nexus/actors';
import { DeadLetterError } from './deadLetterErrors';
import { replayDeadLettered } from './replayRecords';
import { required } from '@nexus/schema';

export type DeadLetterStatus = 'open' | 'replayed' | 'discarded';

export interface DeadLetterView {
  id: string;
  recordId: string;
  source: string | null;
  externalId: string | null;
  batchId: string | null;
  partition: number;
  offset: string;
  error: string;
  attempts: number;
  status: DeadLetterStatus;
  createdAt: string;
  resolvedBy: string | null;
  resolvedAt: string | null;
}

export interface DeadLetterFilter {
  status?: DeadLetterStatus;
  partition?: number;
  batchId?: string;
  /** Entries with a smaller id than this (the previous page's nextCursor). */
  cursor?: string;
  limit: number;
}

/** Newest first. */
export async function listDeadLetters(
  db: Db,
  f: DeadLetterFilter,
): Promise<{ items: DeadLetterView[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('dead_letters as d')
    .leftJoin('records as r', 'r.id', 'd.record_id')
    .select([
      'd.id',
      'd.record_id',
      'd.partition',
      'd.bus_offset',
      'd.error',
      'd.attempts',
      'd.status',
      'd.created_at',
      'd.resolved_by',
      'd.resolved_at',
      'r.source',
      'r.external_id',
      'r.batch_id',
    ])
    .orderBy('d.id', 'desc')
    .limit(f.limit + 1);
  if (f.status) q = q.where('d.status', '=', f.status);
  if (f.partition !== undefined) q = q.where('d.partition', '=', f.partition);
  if (f.batchId) q = q.where('r.batch_id', '=', f.batchId);
  if (f.cursor) q = q.where('d.id', '<', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((d) => ({
      id: String(d.id),
      recordId: d.record_id,
      source: d.source,
      externalId: d.external_id,
      batchId: d.batch_id,
      partition: d.partition,
      offset: String(d.bus_offset),
      error: d.error,
      attempts: d.attempts,
      status: d.status,
      createdAt: d.created_at.toISOString(),
      resolvedBy: d.resolved_by,
      resolvedAt: d.resolved_at?.toISOString() ?? null,
    })),
    nextCursor:
      rows.length > f.limit
        ? String(required(page.at(-1), 'listDeadLetters: last letter of a full page').id)
        : null,
  };
}

async function openLetter(db: Db, id: string) {
  const letter = await db
    .selectFrom('dead_letters')
    .select(['id', 'record_id', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!letter) throw new DeadLetterError('DEAD_LETTER.NOT_FOUND', `no dead letter ${id}`);
  if (letter.status !== 'open')
    throw new DeadLetterError('DEAD_LETTER.NOT_OPEN', `dead letter ${id} is already ${letter.status}`);
  return letter;
}

/** Re-publishes the dead-lettered record to the bus; the deciders try it again from scratch. */
export async function replayDeadLetter(
  db: Db,
  bus: RecordBus,
  id: string,
  actor: string,
): Promise<{ recordId: string }> {
  const letter = await openLetter(db, id);
  const replayed = await replayDeadLettered(db, bus, { recordIds: [letter.record_id] }, actor);
  if (replayed === 0)
    throw new DeadLetterError('DEAD_LETTER.NOT_OPEN', `dead letter ${id} was resolved meanwhile`);
  return { recordId: letter.record_id };
}

/** Closes a dead letter for good; the record stays dead-lettered. */
export async function discardDeadLetter(db: Db, id: string, reason: string, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('dead_letters')
      .set({ status: 'discarded', resolved_by: actor, resolved_at: sql`now()` })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .returning(['record_id'])
      .executeTakeFirst();
    if (!updated) {
      await openLetter(trx, id); // throws the reason
      // It was open when read: another discard or replay changed it between the two statements.
      throw new DeadLetterError('DEAD_LETTER.NOT_OPEN', `dead letter ${id} was resolved meanwhile`);
    }
    await appendAudit(trx, [
      {
        actor,
        action: 'dead_letter.discarded',
        entity_type: 'dead_letter',
        entity_id: id,
        record_id: updated.record_id,
        before: { status: 'open' },
        after: { status: 'discarded', reason },
      },
    ]);
  });
}
