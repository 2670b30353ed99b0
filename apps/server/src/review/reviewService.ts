import { sql } from 'kysely';
import { appendAudit, type Db } from '@nexus/actors';
import { waterfall, type Waterfall } from '@nexus/matching';
import type { RecordStatus, ReviewCaseKind, ReviewCaseStatus } from '@nexus/schema';
import { asExplanation } from '../records/recordsService';
import { candidateComparisons, type CandidateComparison } from './candidateComparisons';
import { ReviewError } from './reviewErrors';
import { caseCandidates, claimCase, explainUnavailableCase, findCase } from './reviewRepository';
import { required } from '@nexus/schema';

export interface ReviewQueueFilter {
  /** `unresolved` (default): open and claimed. */
  status?: ReviewCaseStatus | 'unresolved';
  kind?: ReviewCaseKind;
  claimedBy?: string;
  source?: string;
  minScore?: number;
  maxScore?: number;
  /** Cases after this one (the previous page's nextCursor). */
  cursor?: string;
  limit: number;
}

export interface ReviewCaseSummary {
  id: string;
  kind: ReviewCaseKind;
  status: ReviewCaseStatus;
  score: number | null;
  createdAt: string;
  recordId: string | null;
  source: string | null;
  externalId: string | null;
  claimedBy: string | null;
  claimedAt: string | null;
  resolvedBy: string | null;
  resolvedAt: string | null;
  resolution: string | null;
  reason: string | null;
  candidateCount: number;
  /** The record's name (given and family, else full) and date of birth as submitted. */
  name: string | null;
  dateOfBirth: string | null;
}

function summaryQuery(db: Db) {
  return (
    db
      .selectFrom('review_cases as c')
      .leftJoin('records as r', 'r.id', 'c.record_id')
      .selectAll('c')
      .select(['r.source', 'r.external_id'])
      // Enough of the person for a queue row; the whole payload is for the case view.
      .select([
        sql<string | null>`r.payload->>'given_name'`.as('given_name'),
        sql<string | null>`r.payload->>'family_name'`.as('family_name'),
        sql<string | null>`r.payload->>'full_name'`.as('full_name'),
        sql<string | null>`r.payload->>'date_of_birth'`.as('date_of_birth'),
      ])
      .select((eb) =>
        eb
          .selectFrom('review_case_candidates as k')
          .select((e) => e.fn.countAll<string>().as('n'))
          .whereRef('k.case_id', '=', 'c.id')
          .as('candidate_count'),
      )
  );
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['execute']>>[number];

function toSummary(c: SummaryRow): ReviewCaseSummary {
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    score: c.score,
    createdAt: c.created_at.toISOString(),
    recordId: c.record_id,
    source: c.source,
    externalId: c.external_id,
    claimedBy: c.claimed_by,
    claimedAt: c.claimed_at?.toISOString() ?? null,
    resolvedBy: c.resolved_by,
    resolvedAt: c.resolved_at?.toISOString() ?? null,
    resolution: c.resolution,
    reason: c.reason,
    candidateCount: Number(c.candidate_count ?? 0),
    name: [c.given_name, c.family_name].filter(Boolean).join(' ') || c.full_name || null,
    dateOfBirth: c.date_of_birth,
  };
}

/** The queue, oldest first: the case that waited longest is the next one to take. */
export async function listReviewQueue(
  db: Db,
  f: ReviewQueueFilter,
): Promise<{ items: ReviewCaseSummary[]; nextCursor: string | null }> {
  let q = summaryQuery(db)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(f.limit + 1);
  const status = f.status ?? 'unresolved';
  q =
    status === 'unresolved'
      ? q.where('c.status', 'in', ['open', 'claimed'])
      : q.where('c.status', '=', status);
  if (f.kind) q = q.where('c.kind', '=', f.kind);
  if (f.claimedBy) q = q.where('c.claimed_by', '=', f.claimedBy);
  if (f.source) q = q.where('r.source', '=', f.source);
  if (f.minScore !== undefined) q = q.where('c.score', '>=', f.minScore);
  if (f.maxScore !== undefined) q = q.where('c.score', '<=', f.maxScore);
  if (f.cursor) {
    const at = await findCase(db, f.cursor);
    if (!at) throw new ReviewError('CASE.NOT_FOUND', `no review case ${f.cursor} to page from`);
    q = q.where((eb) =>
      eb.or([
        eb('c.created_at', '>', at.created_at),
        eb.and([eb('c.created_at', '=', at.created_at), eb('c.id', '>', at.id)]),
      ]),
    );
  }
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map(toSummary),
    nextCursor:
      rows.length > f.limit ? required(page.at(-1), 'listReviewQueue: last case of a full page').id : null,
  };
}

export async function claimReviewCase(db: Db, caseId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const claimed = await claimCase(trx, caseId, actor);
    if (!claimed) await explainUnavailableCase(trx, caseId, actor);
    await appendAudit(trx, [
      {
        actor,
        action: 'review_case.claimed',
        entity_type: 'review_case',
        entity_id: caseId,
        record_id: null,
        before: null,
        after: { claimedBy: actor },
      },
    ]);
  });
}

export async function releaseReviewCase(db: Db, caseId: string, actor: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const released = await trx
      .updateTable('review_cases')
      .set({ status: 'open', claimed_by: null, claimed_at: null })
      .where('id', '=', caseId)
      .where('status', '=', 'claimed')
      .where('claimed_by', '=', actor)
      .returning('id')
      .executeTakeFirst();
    if (!released) await explainUnavailableCase(trx, caseId, actor);
    await appendAudit(trx, [
      {
        actor,
        action: 'review_case.released',
        entity_type: 'review_case',
        entity_id: caseId,
        record_id: null,
        before: { claimedBy: actor },
        after: { claimedBy: null },
      },
    ]);
  });
}

export interface ReviewCaseView {
  case: ReviewCaseSummary;
  record: {
    id: string;
    source: string;
    externalId: string;
    status: RecordStatus;
    payload: Record<string, unknown>;
  } | null;
  explanation: Record<string, unknown> | null;
  waterfall: Waterfall | null;
  candidates: Array<{
    goldenId: string;
    score: number;
    status: 'active' | 'merged' | 'erased' | 'missing';
    mergedInto: string | null;
    best: Record<string, unknown>;
    memberCount: number;
    /** The member the record scored best against. */
    bestMemberId: string | null;
    members: Array<{
      recordId: string;
      source: string;
      externalId: string;
      payload: Record<string, unknown>;
    }>;
    /** The record against the best member, field by field; null without members. */
    comparison: CandidateComparison | null;
  }>;
}

const MEMBERS_SHOWN = 20;

/** A case with its record and candidates side by side, and the decision's explanation as a waterfall. */
export async function getReviewCase(db: Db, caseId: string): Promise<ReviewCaseView> {
  const row = await summaryQuery(db).where('c.id', '=', caseId).executeTakeFirst();
  if (!row) throw new ReviewError('CASE.NOT_FOUND', `no review case ${caseId}`);
  const summary = toSummary(row);
  const record = summary.recordId
    ? await db.selectFrom('records').selectAll().where('id', '=', summary.recordId).executeTakeFirst()
    : undefined;
  const candidates = await caseCandidates(db, caseId);
  const goldenIds = candidates.map((c) => c.golden_id);
  const golden = goldenIds.length
    ? await db.selectFrom('golden_records').selectAll().where('id', 'in', goldenIds).execute()
    : [];
  const members = goldenIds.length
    ? await sql<{
        golden_id: string;
        record_id: string;
        source: string;
        external_id: string;
        payload: Record<string, unknown>;
      }>`
        select m.golden_id, r.id as record_id, r.source, r.external_id, r.payload
        from unnest(${goldenIds}::uuid[]) as g(id)
        cross join lateral (
          select gm.golden_id, gm.record_id from golden_record_members gm
          where gm.golden_id = g.id order by gm.linked_at limit ${MEMBERS_SHOWN}
        ) as m
        join records r on r.id = m.record_id`.execute(db)
    : { rows: [] };
  const explanation = asExplanation(record?.explanation);
  const views: Array<Omit<ReviewCaseView['candidates'][number], 'comparison'>> = candidates.map((c) => {
    const g = golden.find((x) => x.id === c.golden_id);
    const bestMember = (c.explanation as { bestMember?: unknown }).bestMember;
    return {
      goldenId: c.golden_id,
      score: c.score,
      status: g?.status ?? 'missing',
      mergedInto: g?.merged_into ?? null,
      best: g?.best ?? {},
      memberCount: g?.member_count ?? 0,
      bestMemberId: typeof bestMember === 'string' ? bestMember : null,
      members: members.rows
        .filter((m) => m.golden_id === c.golden_id)
        .map((m) => ({
          recordId: m.record_id,
          source: m.source,
          externalId: m.external_id,
          payload: m.payload,
        })),
    };
  });
  const comparisons = await candidateComparisons(db, record?.payload ?? null, explanation, views);
  return {
    case: summary,
    record: record
      ? {
          id: record.id,
          source: record.source,
          externalId: record.external_id,
          status: record.status,
          payload: record.payload,
        }
      : null,
    explanation: record?.explanation ?? null,
    waterfall: explanation ? waterfall(explanation) : null,
    candidates: views.map((c) => ({ ...c, comparison: comparisons.get(c.goldenId) ?? null })),
  };
}
