import { sql } from 'kysely';
import { canonicalRecordSchema, type CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import { ENGINE_ACTOR } from '../pipeline/audit';
import {
  insertAuditEntries,
  insertGoldenRecord,
  insertMember,
  updateGoldenRecord,
  WriteSet,
} from '../pipeline/writeSet';
import { followMerged, newGoldenId } from './goldenRecordRows';
import { foundTally, joinTally } from './goldenTally';
import { membersOf, survivorOf } from './members';
import type { SurvivorMember } from './survivorship';

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
 * sees every member committed before the lock was granted) for survivorship. A manual merge may
 * have closed it between the candidate read and this lock: the walk follows it, locking, to the
 * golden record it was merged into, which now holds its members.
 */
export async function lockGoldenRecord(trx: Db, goldenId: string): Promise<LockedGoldenRecord> {
  const golden = await followMerged(trx, goldenId, { lock: true });
  if (golden === undefined) throw new Error(`no golden record ${goldenId}`);
  if (golden.status === 'erased') {
    throw new GoldenRecordErasedError(
      `golden record ${golden.id} was erased while a record was being decided`,
    );
  }
  const members = await membersOf(trx, [golden.id]);
  return {
    id: golden.id,
    best: golden.best,
    members: members.map(survivorOf),
    memberIds: members.map((m) => m.record_id),
  };
}

/** A new golden record with the record as its primary member, added to `writes`. Returns its id. */
export function createGoldenRecord(
  writes: WriteSet,
  recordId: string,
  record: CanonicalRecord,
  actor = ENGINE_ACTOR,
): string {
  const goldenId = newGoldenId();
  const { tally, entry } = foundTally(goldenId, recordId, record, actor);
  writes
    .add(insertGoldenRecord(goldenId, tally.best))
    .add(insertMember(recordId, goldenId, 'primary', null))
    .add(insertAuditEntries([entry]));
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
  const tally = { best: golden.best, members: [...golden.members] };
  const { best, entry } = joinTally(tally, golden.id, recordId, record, score, actor);
  writes
    .add(insertMember(recordId, golden.id, 'secondary', score))
    .add(updateGoldenRecord(golden.id, best, tally.members.length))
    .add(insertAuditEntries([entry]));
}

/**
 * A reviewer's `new person`: the stored record founds a golden record of its own, written as the
 * engine writes it. The caller holds the record's key locks. Returns the new id.
 */
export async function foundGoldenRecord(trx: Db, recordId: string, actor: string): Promise<string> {
  const writes = new WriteSet();
  const goldenId = createGoldenRecord(writes, recordId, await storedRecord(trx, recordId), actor);
  await writes.execute(trx, sql`select 1`);
  return goldenId;
}

/**
 * A reviewer's link: the stored record joins an active golden record as a secondary member,
 * written as the engine writes a link. The caller holds the key locks of both.
 */
export async function linkRecordToGolden(
  trx: Db,
  goldenId: string,
  recordId: string,
  score: number,
  actor: string,
): Promise<void> {
  const golden = await lockGoldenRecord(trx, goldenId);
  const writes = new WriteSet();
  linkToGoldenRecord(writes, golden, recordId, await storedRecord(trx, recordId), score, actor);
  await writes.execute(trx, sql`select 1`);
}

async function storedRecord(trx: Db, recordId: string): Promise<CanonicalRecord> {
  const row = await trx
    .selectFrom('records')
    .select('payload')
    .where('id', '=', recordId)
    .executeTakeFirstOrThrow();
  return canonicalRecordSchema.parse(row.payload);
}
