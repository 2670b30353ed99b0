import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, bestFields, changedBestFields, sealPersonal, type Db } from '@nexus/actors';
import { bestOf, membersOf } from './customersRepository';

/**
 * A reviewer's link: the record joins a golden record (already locked by the caller) as a
 * secondary member; best values recomputed over all members (survivorship); audited.
 */
export async function linkRecordToGolden(
  trx: Db,
  goldenId: string,
  recordId: string,
  score: number,
  actor: string,
): Promise<void> {
  const before = await trx
    .selectFrom('golden_records')
    .select(['best', 'member_count'])
    .where('id', '=', goldenId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('golden_record_members')
    .values({
      record_id: recordId,
      golden_id: goldenId,
      precedence: 'secondary',
      link_score: score,
      linked_at: sql`clock_timestamp()`,
    })
    .execute();
  const members = await membersOf(trx, [goldenId]);
  const best = bestOf(members);
  await trx
    .updateTable('golden_records')
    .set({
      best: JSON.stringify(sealPersonal(best)) as never,
      member_count: members.length,
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
      before: { ...bestFields(before.best), member_count: before.member_count },
      after: {
        ...changedBestFields(before.best, best),
        member_count: members.length,
        linked: recordId,
        score,
      },
    },
  ]);
}

/** A reviewer's `new person`: the record founds a golden record of its own; audited. */
export async function foundGoldenRecord(trx: Db, recordId: string, actor: string): Promise<string> {
  const goldenId = randomUUID();
  await trx
    .insertInto('golden_records')
    .values({
      id: goldenId,
      status: 'active',
      merged_into: null,
      best: JSON.stringify({}) as never,
      member_count: 1,
      version: 1,
    })
    .execute();
  await trx
    .insertInto('golden_record_members')
    .values({
      record_id: recordId,
      golden_id: goldenId,
      precedence: 'primary',
      link_score: null,
      linked_at: sql`clock_timestamp()`,
    })
    .execute();
  const best = bestOf(await membersOf(trx, [goldenId]));
  await trx
    .updateTable('golden_records')
    .set({ best: JSON.stringify(sealPersonal(best)) as never })
    .where('id', '=', goldenId)
    .execute();
  await appendAudit(trx, [
    {
      actor,
      action: 'golden_record.created',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: null,
      after: { ...bestFields(best), members: [recordId] },
    },
  ]);
  return goldenId;
}
