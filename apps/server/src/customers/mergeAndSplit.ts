import { sql } from 'kysely';
import {
  appendAudit,
  bestFields,
  bestOf,
  changedBestFields,
  insertGoldenRecord,
  lockKeysOfRecords,
  membersOf,
  newGoldenId,
  retireGoldenRecords,
  settleGoldenRecord,
  type AuditEntry,
  type Db,
  type MemberRow,
} from '@nexus/actors';
import { reResolveJoin } from './reResolveJoin';
import { CustomerError } from './customerErrors';
import { lockActiveGoldenRecords } from './customersRepository';

const memberIds = (members: readonly MemberRow[], goldenId: string) =>
  members.filter((m) => m.golden_id === goldenId).map((m) => m.record_id);

/** Locks the deciders' keys of every member, then the golden rows; members are read again under the row locks. */
async function lockForChange(trx: Db, goldenIds: string[]) {
  await lockKeysOfRecords(
    trx,
    (await membersOf(trx, goldenIds)).map((m) => m.record_id),
  );
  const golden = await lockActiveGoldenRecords(trx, goldenIds);
  const members = await membersOf(trx, goldenIds);
  return { golden, members };
}

export interface MergeInput {
  survivorId: string;
  mergedIds: string[];
  reason: string;
  actor: string;
}

/**
 * Manual merge, inside the caller's transaction: the members of `mergedIds` move to the survivor,
 * which recomputes its best values (survivorship) and keeps its oldest member as primary; the
 * merged golden records point at it. Audited before and after, each golden record; the
 * survivor's entry carries the re-resolution: every member compared again with the others.
 */
export async function mergeGoldenRecords(
  trx: Db,
  input: MergeInput,
): Promise<{ survivorId: string; best: Record<string, string> }> {
  const merged = [...new Set(input.mergedIds)];
  if (merged.length === 0 || merged.includes(input.survivorId)) {
    throw new CustomerError('CUSTOMER.SAME_RECORD', 'merge needs a survivor and at least one other customer');
  }
  const all = [input.survivorId, ...merged];
  const { golden, members } = await lockForChange(trx, all);
  const survivor = golden.get(input.survivorId)!;
  await trx
    .updateTable('golden_record_members')
    .set({ golden_id: input.survivorId, precedence: 'secondary' })
    .where('golden_id', 'in', merged)
    .execute();
  // Compared as they were before the move: which golden record each member came from.
  const reResolution = await reResolveJoin(trx, all, members);
  const after = members.map((m) => ({ ...m, golden_id: input.survivorId }));
  const best = await settleGoldenRecord(trx, input.survivorId, after);
  await retireGoldenRecords(trx, merged, { status: 'merged', into: input.survivorId });
  const entries: AuditEntry[] = [
    {
      actor: input.actor,
      action: 'golden_record.merged',
      entity_type: 'golden_record',
      entity_id: input.survivorId,
      record_id: null,
      before: {
        ...bestFields(survivor.best),
        member_count: survivor.member_count,
        members: memberIds(members, input.survivorId),
      },
      after: {
        ...changedBestFields(survivor.best, best),
        member_count: after.length,
        members: after.map((m) => m.record_id),
        merged,
        reason: input.reason,
        reResolution,
      },
    },
    ...merged.map((id): AuditEntry => {
      const g = golden.get(id)!;
      return {
        actor: input.actor,
        action: 'golden_record.merged_into',
        entity_type: 'golden_record',
        entity_id: id,
        record_id: null,
        before: {
          status: 'active',
          ...bestFields(g.best),
          member_count: g.member_count,
          members: memberIds(members, id),
        },
        after: { status: 'merged', merged_into: input.survivorId, member_count: 0, reason: input.reason },
      };
    }),
  ];
  await appendAudit(trx, entries);
  return { survivorId: input.survivorId, best };
}

export interface SplitInput {
  goldenId: string;
  recordId: string;
  reason: string;
  actor: string;
}

/**
 * Manual split, inside the caller's transaction: one member leaves its golden record and founds
 * a new one; both recompute their best values, the old one keeps (or promotes) its oldest member
 * as primary. Audited before and after, each golden record.
 */
export async function splitGoldenRecord(
  trx: Db,
  input: SplitInput,
): Promise<{ goldenId: string; newGoldenId: string }> {
  const { golden, members } = await lockForChange(trx, [input.goldenId]);
  const old = golden.get(input.goldenId)!;
  const leaving = members.find((m) => m.record_id === input.recordId);
  if (!leaving)
    throw new CustomerError(
      'CUSTOMER.NOT_A_MEMBER',
      `record ${input.recordId} is not a member of customer ${input.goldenId}`,
    );
  if (members.length < 2)
    throw new CustomerError('CUSTOMER.LAST_MEMBER', 'a customer with one member cannot be split');
  const staying = members.filter((m) => m.record_id !== input.recordId);
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
    .where('record_id', '=', input.recordId)
    .execute();
  // Its face goes with it: an ABIS match on that reference must lead to the new golden record.
  await trx
    .updateTable('biometric_references')
    .set({ golden_id: newId })
    .where('reference_id', '=', input.recordId)
    .execute();
  const best = await settleGoldenRecord(trx, input.goldenId, staying);
  // The record now founds a golden record of its own.
  await trx
    .updateTable('records')
    .set({ status: 'new' })
    .where('id', '=', input.recordId)
    .where('status', '=', 'linked')
    .execute();
  await appendAudit(trx, [
    {
      actor: input.actor,
      action: 'golden_record.split',
      entity_type: 'golden_record',
      entity_id: input.goldenId,
      record_id: input.recordId,
      before: {
        ...bestFields(old.best),
        member_count: old.member_count,
        members: members.map((m) => m.record_id),
      },
      after: {
        ...changedBestFields(old.best, best),
        member_count: staying.length,
        members: staying.map((m) => m.record_id),
        splitInto: newId,
        reason: input.reason,
      },
    },
    {
      actor: input.actor,
      action: 'golden_record.created_by_split',
      entity_type: 'golden_record',
      entity_id: newId,
      record_id: input.recordId,
      before: null,
      after: {
        ...bestFields(newBest),
        members: [input.recordId],
        splitFrom: input.goldenId,
        reason: input.reason,
      },
    },
  ]);
  return { goldenId: input.goldenId, newGoldenId: newId };
}
