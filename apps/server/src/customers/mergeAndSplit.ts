import { lockKeysOfRecords, membersOf, writeMerge, writeSplit, type Db } from '@nexus/actors';
import { reResolveJoin } from './reResolveJoin';
import { CustomerError } from './customerErrors';
import { lockActiveGoldenRecords } from './customersRepository';

/**
 * A reviewer's merge and split, checked in the customer's words; the writes themselves are the
 * golden-record module's (packages/actors/src/goldenRecords/mergeAndSplit.ts).
 */

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

/** Manual merge, inside the caller's transaction (writeMerge says what it writes). */
export async function mergeGoldenRecords(
  trx: Db,
  input: MergeInput,
): Promise<{ survivorId: string; best: Record<string, string> }> {
  const merged = [...new Set(input.mergedIds)];
  if (merged.length === 0 || merged.includes(input.survivorId)) {
    throw new CustomerError('CUSTOMER.SAME_RECORD', 'merge needs a survivor and at least one other customer');
  }
  const all = [input.survivorId, ...merged];
  const locked = await lockForChange(trx, all);
  // Compared as they are before the move: which golden record each member came from.
  const reResolution = await reResolveJoin(trx, all, locked.members);
  const best = await writeMerge(trx, locked, { ...input, mergedIds: merged, reResolution });
  return { survivorId: input.survivorId, best };
}

export interface SplitInput {
  goldenId: string;
  recordId: string;
  reason: string;
  actor: string;
}

/** Manual split, inside the caller's transaction (writeSplit says what it writes). */
export async function splitGoldenRecord(
  trx: Db,
  input: SplitInput,
): Promise<{ goldenId: string; newGoldenId: string }> {
  const locked = await lockForChange(trx, [input.goldenId]);
  if (!locked.members.some((m) => m.record_id === input.recordId))
    throw new CustomerError(
      'CUSTOMER.NOT_A_MEMBER',
      `record ${input.recordId} is not a member of customer ${input.goldenId}`,
    );
  if (locked.members.length < 2)
    throw new CustomerError('CUSTOMER.LAST_MEMBER', 'a customer with one member cannot be split');
  return { goldenId: input.goldenId, newGoldenId: await writeSplit(trx, locked, input) };
}
