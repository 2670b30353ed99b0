import { sql } from 'kysely';
import {
  appendAudit,
  foundGoldenRecord,
  linkRecordToGolden,
  lockKeysOfRecords,
  membersOf,
  type Db,
} from '@nexus/actors';
import { activeGoldenId, lockActiveGoldenRecords } from '../customers/customersRepository';
import { mergeGoldenRecords } from '../customers/mergeAndSplit';
import { ReviewError } from './reviewErrors';
import { caseCandidates, explainUnavailableCase, markResolved } from './reviewRepository';

/**
 * What a reviewer decides:
 * - `same_as`: the record is the person of `goldenId` (it is linked there);
 * - `new_person`: nobody known (the record founds a new golden record);
 * - `merge`: the candidate golden records are one person: they merge (into `survivorId`, else
 *   the oldest) and the record joins them;
 * - `reject`: the record is kept out (not a real or usable person record).
 */
export type Resolution =
  | { resolution: 'same_as'; goldenId: string }
  | { resolution: 'new_person' }
  | { resolution: 'merge'; survivorId?: string }
  | { resolution: 'reject' };

export interface ResolvedCase {
  caseId: string;
  resolution: Resolution['resolution'];
  recordId: string | null;
  /** Where the record ended: its golden record, or null when rejected. */
  goldenId: string | null;
}

/**
 * Resolves a case in ONE transaction: the conditional update of the case first (a resolved case,
 * or one claimed by another reviewer, is refused), then the change to golden records under the
 * deciders' key locks, then the audit entries.
 */
export async function resolveReviewCase(
  db: Db,
  caseId: string,
  decision: Resolution & { reason: string },
  actor: string,
): Promise<ResolvedCase> {
  return db.transaction().execute(async (trx) => {
    const gate = await markResolved(trx, caseId, actor, decision.resolution, decision.reason);
    if (!gate) return explainUnavailableCase(trx, caseId, actor);
    const before = { status: gate.claimed_by === actor ? 'claimed' : 'open', claimedBy: gate.claimed_by };
    const record = gate.record_id
      ? await trx
          .selectFrom('records')
          .select(['id', 'status'])
          .where('id', '=', gate.record_id)
          .forUpdate()
          .executeTakeFirst()
      : undefined;
    if (record && record.status !== 'review') {
      throw new ReviewError(
        'CASE.RECORD_NOT_IN_REVIEW',
        `record ${record.id} is ${record.status}, not in review`,
      );
    }
    const candidates = await caseCandidates(trx, caseId);
    const scoreOf = (goldenId: string) =>
      candidates.find((c) => c.golden_id === goldenId)?.score ?? gate.score ?? 0;
    let goldenId: string | null = null;

    switch (decision.resolution) {
      case 'same_as': {
        if (!record) throw new ReviewError('CASE.INVALID_RESOLUTION', 'this case has no record to link');
        goldenId = await activeGoldenId(trx, decision.goldenId);
        await lockKeysOfRecords(trx, [
          record.id,
          ...(await membersOf(trx, [goldenId])).map((m) => m.record_id),
        ]);
        await lockActiveGoldenRecords(trx, [goldenId]);
        await linkRecordToGolden(trx, goldenId, record.id, scoreOf(decision.goldenId), actor);
        await setRecordStatus(trx, record.id, 'linked');
        break;
      }
      case 'new_person': {
        if (!record)
          throw new ReviewError('CASE.INVALID_RESOLUTION', 'this case has no record to found a customer');
        await lockKeysOfRecords(trx, [record.id]);
        goldenId = await foundGoldenRecord(trx, record.id, actor);
        await setRecordStatus(trx, record.id, 'new');
        break;
      }
      case 'merge': {
        const active = [
          ...new Set(await Promise.all(candidates.map((c) => activeGoldenId(trx, c.golden_id)))),
        ];
        const survivor = decision.survivorId
          ? await activeGoldenId(trx, decision.survivorId)
          : await oldest(trx, active);
        if (!survivor || !active.includes(survivor)) {
          throw new ReviewError('CASE.INVALID_RESOLUTION', 'the survivor must be one of the case candidates');
        }
        const members = await membersOf(trx, active);
        await lockKeysOfRecords(trx, [...(record ? [record.id] : []), ...members.map((m) => m.record_id)]);
        const others = active.filter((id) => id !== survivor);
        if (others.length > 0)
          await mergeGoldenRecords(trx, {
            survivorId: survivor,
            mergedIds: others,
            reason: decision.reason,
            actor,
          });
        if (record) {
          await linkRecordToGolden(trx, survivor, record.id, scoreOf(survivor), actor);
          await setRecordStatus(trx, record.id, 'linked');
        }
        goldenId = survivor;
        break;
      }
      case 'reject': {
        if (record) {
          await trx
            .updateTable('records')
            .set({
              status: 'rejected',
              decision_rule: 'rejected_in_review',
              errors: JSON.stringify([{ field: '(review)', message: decision.reason }]) as never,
            })
            .where('id', '=', record.id)
            .execute();
        }
        break;
      }
    }

    await appendAudit(trx, [
      {
        actor,
        action: 'review_case.resolved',
        entity_type: 'review_case',
        entity_id: caseId,
        record_id: gate.record_id,
        before,
        after: { status: 'resolved', resolution: decision.resolution, reason: decision.reason, goldenId },
      },
    ]);
    return { caseId, resolution: decision.resolution, recordId: gate.record_id, goldenId };
  });
}

async function setRecordStatus(trx: Db, recordId: string, status: 'linked' | 'new'): Promise<void> {
  await trx
    .updateTable('records')
    .set({ status, decided_at: sql`now()` })
    .where('id', '=', recordId)
    .execute();
}

async function oldest(trx: Db, ids: string[]): Promise<string | undefined> {
  if (ids.length === 0) return undefined;
  const row = await trx
    .selectFrom('golden_records')
    .select('id')
    .where('id', 'in', ids)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}
