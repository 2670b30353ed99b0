import { sql } from 'kysely';
import { canonicalRecordSchema, type CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import { timeOrderedId } from '../db/timeOrderedId';
import { bestFields, changedBestFields, ENGINE_ACTOR } from './audit';
import { survivingValues, type SurvivorMember } from './survivorship';
import {
  insertAuditEntries,
  insertGoldenRecord,
  insertMember,
  updateGoldenRecord,
  type WriteSet,
} from './writeSet';

export interface LockedGoldenRecord {
  id: string;
  best: Record<string, unknown>;
  members: SurvivorMember[];
  memberIds: string[];
}

/**
 * The golden record a decision scored against changed under it: an erasure (issue 18) removed
 * it, or the member the record matched, after the candidates were read. Thrown before anything
 * is written, so the record is simply decided again on its next attempt, against what is left.
 */
export class GoldenRecordErasedError extends Error {}

/**
 * Locks a golden record before it changes, then reads its members (a later statement, so it
 * sees every member committed before the lock was granted) for survivorship.
 */
export async function lockGoldenRecord(trx: Db, goldenId: string): Promise<LockedGoldenRecord> {
  let golden = await lockOne(trx, goldenId);
  // A manual merge may have closed it between the candidate read and this lock: follow it to
  // the golden record it was merged into, which now holds its members.
  for (let hops = 0; golden.status === 'merged' && golden.merged_into !== null && hops < 20; hops++) {
    golden = await lockOne(trx, golden.merged_into);
  }
  // Lateral index look-ups: a stable plan even before the tables have statistics.
  if (golden.status === 'erased') {
    throw new GoldenRecordErasedError(
      `golden record ${golden.id} was erased while a record was being decided`,
    );
  }
  const members = await sql<{ record_id: string; payload: Record<string, unknown>; linked_at: Date }>`
    select m.record_id, r.payload, m.linked_at
    from golden_record_members m
    cross join lateral (select rr.payload from records rr where rr.id = m.record_id) as r
    where m.golden_id = ${golden.id}`.execute(trx);
  return {
    id: golden.id,
    best: golden.best,
    members: members.rows.map((m) => ({
      record: canonicalRecordSchema.parse(m.payload),
      linkedAt: m.linked_at,
    })),
    memberIds: members.rows.map((m) => m.record_id),
  };
}

function lockOne(trx: Db, goldenId: string) {
  return trx
    .selectFrom('golden_records')
    .select(['id', 'best', 'status', 'merged_into'])
    .where('id', '=', goldenId)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** A new golden record with the record as its primary member. Returns its id. */
export function createGoldenRecord(
  writes: WriteSet,
  recordId: string,
  record: CanonicalRecord,
  actor = ENGINE_ACTOR,
): string {
  const goldenId = timeOrderedId();
  const best = survivingValues([{ record, linkedAt: new Date() }]);
  writes
    .add(insertGoldenRecord(goldenId, best))
    .add(insertMember(recordId, goldenId, 'primary', null))
    .add(
      insertAuditEntries([
        {
          actor,
          action: 'golden_record.created',
          entity_type: 'golden_record',
          entity_id: goldenId,
          record_id: recordId,
          before: null,
          after: { ...bestFields(best), members: [recordId] },
        },
      ]),
    );
  return goldenId;
}

/** Links the record to a locked golden record as a secondary member; best values recomputed. */
export function linkToGoldenRecord(
  writes: WriteSet,
  golden: LockedGoldenRecord,
  recordId: string,
  record: CanonicalRecord,
  score: number,
  actor = ENGINE_ACTOR,
): void {
  const best = survivingValues([...golden.members, { record, linkedAt: new Date() }]);
  const memberCount = golden.members.length + 1;
  writes
    .add(insertMember(recordId, golden.id, 'secondary', score))
    .add(updateGoldenRecord(golden.id, best, memberCount))
    .add(
      insertAuditEntries([
        {
          actor,
          action: 'golden_record.linked',
          entity_type: 'golden_record',
          entity_id: golden.id,
          record_id: recordId,
          before: { ...bestFields(golden.best), member_count: golden.members.length },
          after: {
            ...changedBestFields(golden.best, best),
            member_count: memberCount,
            linked: recordId,
            score,
          },
        },
      ]),
    );
}
