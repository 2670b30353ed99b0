import { randomUUID } from 'node:crypto';
import { AbisClient, type Db } from '@nexus/actors';
import type { ErasureInput } from '@nexus/schema';
import { DomainError } from '../errors/domainError';
import { eraseContactFamily } from '../identify/contactFamilies';
import type { ServerDeps } from '../trpc/context';
import { planErasure, type ErasurePlan } from './erasurePlan';
import { lockTargets, resolveTargets } from './erasureTargets';
import { writeErasure } from './erasureWrites';

export interface ErasureResult extends ErasurePlan {
  /** Null on a dry run: nothing was erased. */
  erasureId: string | null;
  dryRun: boolean;
  reason: string;
  /** Contact families erased (a family another erasure or an admin removed meanwhile is left out). */
  contactsErased: number[];
  /** Elasticsearch: the indexer was woken to drop or re-index these golden records (null without Elasticsearch). */
  searchIndex: { goldenRecords: string[] } | null;
}

export type ErasureDeps = Pick<ServerDeps, 'db' | 'engine' | 'config'> & { abisUrl: string | undefined };

/**
 * Erases a person (a golden record and its members) or single records: the dry run answers the
 * plan and writes nothing; the erasure writes it in one transaction under the engine's locks,
 * deletes the face references from ABIS before it commits (a failure rolls everything back, so
 * the request can simply be repeated), then erases the matching /identify families and wakes the
 * search indexer. docs/decisions/0036-erasure-and-access-requests.md
 */
export async function erase(deps: ErasureDeps, input: ErasureInput, actor: string): Promise<ErasureResult> {
  const country = deps.config.NEXUS_DEFAULT_COUNTRY;
  if (input.dryRun) {
    const plan = await planErasure(deps.db, await resolveTargets(deps.db, input), country);
    return {
      ...plan,
      erasureId: null,
      dryRun: true,
      reason: input.reason,
      contactsErased: [],
      searchIndex: null,
    };
  }
  const erasureId = randomUUID();
  const plan = await deps.db.transaction().execute(async (trx) => {
    const targets = await lockTargets(trx, input);
    const plan = await planErasure(trx, targets, country);
    await writeErasure(trx, erasureId, plan, input.reason, actor);
    await trx
      .insertInto('erasures')
      .values({
        id: erasureId,
        requested_by: actor,
        reason: input.reason,
        customer_id: plan.customerId,
        record_ids: plan.records.map((r) => r.recordId),
        golden_ids: plan.goldenRecords.map((g) => g.goldenId),
        summary: JSON.stringify(summaryOf(plan)) as never,
      })
      .execute();
    await deleteFaceReferences(deps.abisUrl, plan.faceReferences);
    return plan;
  });
  const contactsErased = await eraseContacts(deps.db, plan.contacts, erasureId, actor);
  const search = deps.engine.search;
  search?.indexer.kick();
  return {
    ...plan,
    erasureId,
    dryRun: false,
    reason: input.reason,
    contactsErased,
    searchIndex: search
      ? { goldenRecords: [...plan.goldenRecords.map((g) => g.goldenId), ...plan.mergedGoldenRecords] }
      : null,
  };
}

/** The tombstone's counts: what was removed, by kind, never what it held. */
function summaryOf(plan: ErasurePlan) {
  return {
    records: plan.records.length,
    goldenRecordsErased: plan.goldenRecords.filter((g) => g.outcome === 'erased').length,
    goldenRecordsResettled: plan.goldenRecords.filter((g) => g.outcome === 'resettled').length,
    mergedGoldenRecords: plan.mergedGoldenRecords.length,
    faceReferences: plan.faceReferences.length,
    reviewCasesClosed: plan.reviewCases.filter((c) => c.closes).length,
    blockingKeys: plan.blockingKeys,
    deadLetters: plan.deadLetters,
    busMessages: plan.busMessages,
    explanationsOfOthers: plan.explanationsOfOthers,
    contactFamilies: plan.contacts.length,
  };
}

/** MOSIP `mosip.abis.delete` for every reference; one ABIS already without it counts as done. */
async function deleteFaceReferences(
  abisUrl: string | undefined,
  references: readonly string[],
): Promise<void> {
  if (references.length === 0) return;
  if (!abisUrl)
    throw new DomainError(
      'ERASURE.BIOMETRICS_UNAVAILABLE',
      'no ABIS is configured to delete the face references from',
    );
  const abis = new AbisClient(abisUrl, { maxAttempts: 3, breakerFailures: 1_000 });
  try {
    for (const reference of references) await abis.delete(reference);
  } catch (error) {
    throw new DomainError(
      'ERASURE.BIOMETRICS_UNAVAILABLE',
      'ABIS did not confirm the deletion of the face references; nothing was erased, try again',
      { cause: error },
    );
  }
}

/** /identify families holding the person's email or phone: erased as an admin's family erasure is. */
async function eraseContacts(db: Db, primaries: readonly number[], erasureId: string, actor: string) {
  const erased: number[] = [];
  for (const primary of primaries) {
    try {
      erased.push(...(await eraseContactFamily(db, primary, `erasure ${erasureId}`, actor)).erased);
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'CONTACT.NOT_FOUND')) throw error;
    }
  }
  return erased.sort((a, b) => a - b);
}
