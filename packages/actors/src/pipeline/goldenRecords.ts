import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { canonicalRecordSchema } from '@nexus/schema';
import type { Db } from '../db/database';
import { appendAudit, ENGINE_ACTOR } from './audit';
import { survivingValues } from './survivorship';

/**
 * The moment of the link itself, not of the transaction's start: a decision that waited on a
 * twin's locks started before the twin's commit, yet links after it.
 */
const LINK_TIME = sql<Date>`clock_timestamp()`;

/** Recomputes a golden record's best values from all its members (survivorship). */
async function recomputeBest(trx: Db, goldenId: string): Promise<Record<string, string>> {
  // Lateral index look-ups: a stable plan even before the tables have statistics.
  const members = await sql<{ payload: Record<string, unknown>; linked_at: Date }>`
    select r.payload, m.linked_at
    from golden_record_members m
    cross join lateral (select rr.payload from records rr where rr.id = m.record_id) as r
    where m.golden_id = ${goldenId}`.execute(trx);
  return survivingValues(
    members.rows.map((m) => ({ record: canonicalRecordSchema.parse(m.payload), linkedAt: m.linked_at })),
  );
}

export async function createGoldenRecord(
  trx: Db,
  recordId: string,
  payload: Record<string, unknown>,
  actor = ENGINE_ACTOR,
): Promise<string> {
  const goldenId = randomUUID();
  const best = survivingValues([{ record: canonicalRecordSchema.parse(payload), linkedAt: new Date() }]);
  await trx
    .insertInto('golden_records')
    .values({ id: goldenId, status: 'active', merged_into: null, best: JSON.stringify(best) as never, member_count: 1, version: 1 })
    .execute();
  await trx
    .insertInto('golden_record_members')
    .values({ record_id: recordId, golden_id: goldenId, precedence: 'primary', link_score: null, linked_at: LINK_TIME })
    .execute();
  await appendAudit(trx, [
    {
      actor,
      action: 'golden_record.created',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: null,
      after: { best, members: [recordId] },
    },
  ]);
  return goldenId;
}

export async function linkToGoldenRecord(
  trx: Db,
  goldenId: string,
  recordId: string,
  score: number,
  actor = ENGINE_ACTOR,
): Promise<void> {
  const before = await trx
    .selectFrom('golden_records')
    .select(['best', 'member_count', 'version'])
    .where('id', '=', goldenId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('golden_record_members')
    .values({ record_id: recordId, golden_id: goldenId, precedence: 'secondary', link_score: score, linked_at: LINK_TIME })
    .execute();
  const best = await recomputeBest(trx, goldenId);
  await trx
    .updateTable('golden_records')
    .set({
      best: JSON.stringify(best) as never,
      member_count: sql`member_count + 1`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', goldenId)
    .execute();
  await appendAudit(trx, [
    {
      actor,
      action: 'golden_record.linked',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: { best: before.best, member_count: before.member_count },
      after: { best, member_count: before.member_count + 1, linked: recordId, score },
    },
  ]);
}
