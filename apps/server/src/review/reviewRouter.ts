import type { TRPCRouterRecord } from '@trpc/server';
import { caseIdInput, resolveCaseInput, reviewQueueInput } from '@nexus/schema';
import type { Principal } from '../auth/roles';
import { recordAccess, type AccessContext } from '../privacy/accessRecords';
import { audienceOf, maskReviewCase } from '../privacy/masking';
import { reviewerProcedure } from '../trpc/trpc';
import { resolveReviewCase } from './resolveCase';
import {
  claimReviewCase,
  getReviewCase,
  listReviewQueue,
  releaseReviewCase,
  type ReviewCaseView,
} from './reviewService';

/** The review queue is its own reason: a case read says which case, unless the reader gave another. */
async function readCase(
  ctx: AccessContext & { principal: Principal; dashboard?: boolean },
  caseId: string,
  reason: string | undefined,
  action: string,
) {
  const view: ReviewCaseView = await getReviewCase(ctx.deps.db, caseId);
  await recordAccess(ctx, {
    action,
    subjectType: 'review_case',
    subjectId: caseId,
    customerIds: view.candidates.map((c) => c.goldenId),
    recordIds: [
      ...(view.record ? [view.record.id] : []),
      ...view.candidates.flatMap((c) => c.members.map((m) => m.recordId)),
    ],
    reason: reason ?? `review case ${caseId}`,
  });
  return maskReviewCase(view, audienceOf(ctx));
}

export const reviewRouter = {
  /** Oldest first; `mine` lists the caller's claims. Rows carry names and dates of birth: recorded. */
  queue: reviewerProcedure.input(reviewQueueInput).query(async ({ ctx, input }) => {
    const { mine, ...filter } = input;
    const page = await listReviewQueue(
      ctx.deps.db,
      mine ? { ...filter, claimedBy: ctx.principal.username } : filter,
    );
    if (page.items.length > 0)
      await recordAccess(ctx, {
        action: 'review.queue',
        subjectType: 'review_case',
        subjectId: 'queue',
        recordIds: page.items.flatMap((c) => (c.recordId ? [c.recordId] : [])),
        reason: 'review queue',
      });
    return page;
  }),
  get: reviewerProcedure
    .input(caseIdInput)
    .query(({ ctx, input }) => readCase(ctx, input.caseId, input.reason, 'review.get')),
  claim: reviewerProcedure.input(caseIdInput).mutation(async ({ ctx, input }) => {
    await claimReviewCase(ctx.deps.db, input.caseId, ctx.principal.username);
    return readCase(ctx, input.caseId, input.reason, 'review.claim');
  }),
  release: reviewerProcedure.input(caseIdInput).mutation(async ({ ctx, input }) => {
    await releaseReviewCase(ctx.deps.db, input.caseId, ctx.principal.username);
    return { released: true };
  }),
  resolve: reviewerProcedure.input(resolveCaseInput).mutation(async ({ ctx, input }) => {
    const { caseId, reason, ...resolution } = input;
    const resolved = await resolveReviewCase(
      ctx.deps.db,
      caseId,
      { ...resolution, reason },
      ctx.principal.username,
    );
    return resolved;
  }),
} satisfies TRPCRouterRecord;
