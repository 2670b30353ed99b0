import { sql } from 'kysely';
import type { ReResolution } from '@nexus/matching';
import type { Db } from '../db/database';
import { appendAudit, bestFields, changedBestFields, type AuditEntry } from '../pipeline/audit';
import { insertGoldenRecord } from '../pipeline/writeSet';
import { newGoldenId, retireGoldenRecords, type GoldenRow } from './goldenRecordRows';
import { bestOf, settleGoldenRecord, type MemberRow } from './members';

/**
 * The golden records a merge or split changes, locked by the caller (the deciders' key locks of
 * every member, then the rows in id order) and checked (all active, the split's record a member
 * and not the last), with their members read again under those locks.
 */
export interface LockedForChange {
  golden: ReadonlyMap<string, GoldenRow>;
  members: readonly MemberRow[];
}

const memberIds = (members: readonly MemberRow[], goldenId: string) =>
  members.filter((m) => m.golden_id === goldenId).map((m) => m.record_id);

function lockedRow(locked: LockedForChange, id: string): GoldenRow {
  const row = locked.golden.get(id);
  if (!row) throw new Error(`golden record ${id} was not locked for this change`);
  return row;
}

/**
 * Merge: the members of `mergedIds` move to the survivor, which recomputes its best values
 * (survivorship) and keeps its oldest member as primary; the merged golden records point at it.
 * Audited before and after, each golden record; the survivor's entry carries the re-resolution
 * (every member compared again with the others, before the move). Returns the survivor's best values.
 */
export async function writeMerge(
  trx: Db,
  locked: LockedForChange,
  change: {
    survivorId: string;
    mergedIds: readonly string[];
    reason: string;
    actor: string;
    reResolution: ReResolution;
  },
): Promise<Record<string, string>> {
  const { survivorId, reason, actor } = change;
  const merged = [...change.mergedIds];
  const survivor = lockedRow(locked, survivorId);
  await trx
    .updateTable('golden_record_members')
    .set({ golden_id: survivorId, precedence: 'secondary' })
    .where('golden_id', 'in', merged)
    .execute();
  const after = locked.members.map((m) => ({ ...m, golden_id: survivorId }));
  const best = await settleGoldenRecord(trx, survivorId, after);
  await retireGoldenRecords(trx, merged, { status: 'merged', into: survivorId });
  const entries: AuditEntry[] = [
    {
      actor,
      action: 'golden_record.merged',
      entity_type: 'golden_record',
      entity_id: survivorId,
      record_id: null,
      before: {
        ...bestFields(survivor.best),
        member_count: survivor.member_count,
        members: memberIds(locked.members, survivorId),
      },
      after: {
        ...changedBestFields(survivor.best, best),
        member_count: after.length,
        members: after.map((m) => m.record_id),
        merged,
        reason,
        reResolution: change.reResolution,
      },
    },
    ...merged.map((id): AuditEntry => {
      const g = lockedRow(locked, id);
      return {
        actor,
        action: 'golden_record.merged_into',
        entity_type: 'golden_record',
        entity_id: id,
        record_id: null,
        before: {
          status: 'active',
          ...bestFields(g.best),
          member_count: g.member_count,
          members: memberIds(locked.members, id),
        },
        after: { status: 'merged', merged_into: survivorId, member_count: 0, reason },
      };
    }),
  ];
  await appendAudit(trx, entries);
  return best;
}

/**
 * Split: one member leaves its golden record and founds a new one (its face reference goes with
 * it); both recompute their best values, the old one keeps (or promotes) its oldest member as
 * primary. Audited before and after, each golden record. Returns the new golden record's id.
 */
export async function writeSplit(
  trx: Db,
  locked: LockedForChange,
  change: { goldenId: string; recordId: string; reason: string; actor: string },
): Promise<string> {
  const { goldenId, recordId, reason, actor } = change;
  const old = lockedRow(locked, goldenId);
  const leaving = locked.members.find((m) => m.record_id === recordId);
  if (!leaving) throw new Error(`record ${recordId} is not a member of golden record ${goldenId}`);
  const staying = locked.members.filter((m) => m.record_id !== recordId);
  const newId = newGoldenId();
  const newBest = bestOf([{ ...leaving, linked_at: new Date() }]);
  await insertGoldenRecord(newId, newBest).execute(trx);
  await trx
    .updateTable('golden_record_members')
    .set({
      golden_id: newId,
      precedence: 'primary',
      linked_at: sql`clock_timestamp()`,
      link_score: null,
    })
    .where('record_id', '=', recordId)
    .execute();
  // Its face goes with it: an ABIS match on that reference must lead to the new golden record.
  await trx
    .updateTable('biometric_references')
    .set({ golden_id: newId })
    .where('reference_id', '=', recordId)
    .execute();
  const best = await settleGoldenRecord(trx, goldenId, staying);
  // The record now founds a golden record of its own.
  await trx
    .updateTable('records')
    .set({ status: 'new' })
    .where('id', '=', recordId)
    .where('status', '=', 'linked')
    .execute();
  await appendAudit(trx, [
    {
      actor,
      action: 'golden_record.split',
      entity_type: 'golden_record',
      entity_id: goldenId,
      record_id: recordId,
      before: {
        ...bestFields(old.best),
        member_count: old.member_count,
        members: locked.members.map((m) => m.record_id),
      },
      after: {
        ...changedBestFields(old.best, best),
        member_count: staying.length,
        members: staying.map((m) => m.record_id),
        splitInto: newId,
        reason,
      },
    },
    {
      actor,
      action: 'golden_record.created_by_split',
      entity_type: 'golden_record',
      entity_id: newId,
      record_id: recordId,
      before: null,
      after: { ...bestFields(newBest), members: [recordId], splitFrom: goldenId, reason },
    },
  ]);
  return newId;
}
