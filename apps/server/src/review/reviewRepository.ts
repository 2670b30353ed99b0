import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { ReviewError } from './reviewErrors';

/** A claim older than this lapses: another reviewer may take the case. */
export const CLAIM_TTL_MINUTES = 30;

export async function findCase(db: Db, caseId: string) {
  return db.selectFrom('review_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
}

/** Why a conditional update of a case found nothing to update. */
export async function explainUnavailableCase(db: Db, caseId: string, actor: string): Promise<never> {
  const c = await findCase(db, caseId);
  if (!c) throw new ReviewError('CASE.NOT_FOUND', `no review case ${caseId}`);
  if (c.status === 'resolved') {
    throw new ReviewError(
      'CASE.ALREADY_RESOLVED',
      `case ${caseId} was already resolved by ${c.resolved_by ?? 'someone'} (${c.resolution ?? ''})`,
    );
  }
  if (c.status === 'claimed' && c.claimed_by !== actor) {
    throw new ReviewError(
      'CASE.CLAIMED_BY_OTHER',
      `case ${caseId} is claimed by ${c.claimed_by ?? 'someone'}`,
    );
  }
  throw new ReviewError('CASE.NOT_FOUND', `case ${caseId} changed meanwhile: try again`);
}

/** Claims a case: open, already mine, or a lapsed claim of someone else. */
export async function claimCase(db: Db, caseId: string, actor: string) {
  return db
    .updateTable('review_cases')
    .set({ status: 'claimed', claimed_by: actor, claimed_at: sql`now()` })
    .where('id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'open'),
        eb.and([eb('status', '=', 'claimed'), eb('claimed_by', '=', actor)]),
        eb.and([
          eb('status', '=', 'claimed'),
          eb('claimed_at', '<', sql<Date>`now() - make_interval(mins => ${CLAIM_TTL_MINUTES})`),
        ]),
      ]),
    )
    .returning(['id'])
    .executeTakeFirst();
}

/**
 * The gate of a resolution: ONE conditional update that only an open case, or one claimed by
 * this reviewer, passes. Two reviewers racing: the second waits on the row, then finds it
 * resolved and updates nothing.
 */
export async function markResolved(
  db: Db,
  caseId: string,
  actor: string,
  resolution: string,
  reason: string,
) {
  return db
    .updateTable('review_cases')
    .set({ status: 'resolved', resolved_by: actor, resolved_at: sql`now()`, resolution, reason })
    .where('id', '=', caseId)
    .where((eb) =>
      eb.or([
        eb('status', '=', 'open'),
        eb.and([eb('status', '=', 'claimed'), eb('claimed_by', '=', actor)]),
      ]),
    )
    .returning(['id', 'record_id', 'kind', 'score', 'claimed_by'])
    .executeTakeFirst();
}

export async function caseCandidates(db: Db, caseId: string) {
  return db
    .selectFrom('review_case_candidates')
    .select(['golden_id', 'score', 'explanation'])
    .where('case_id', '=', caseId)
    .orderBy('score', 'desc')
    .orderBy('golden_id')
    .execute();
}
