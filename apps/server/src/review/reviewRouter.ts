import type { TRPCRouterRecord } from '@trpc/server';
import { caseIdInput, resolveCaseInput, reviewQueueInput } from '@nexus/schema';
import { reviewerProcedure } from '../trpc/trpc';
import { resolveReviewCase } from './resolveCase';
import { claimReviewCase, getReviewCase, listReviewQueue, releaseReviewCase } from './reviewService';

export const reviewRouter = {
  /** Oldest first; `mine` lists the caller's claims. */
  queue: reviewerProcedure.input(reviewQueueInput).query(({ ctx, input }) => {
    const { mine, ...filter } = input;
    return listReviewQueue(ctx.deps.db, mine ? { ...filter, claimedBy: ctx.principal.username } : filter);
  }),
  get: reviewerProcedure
    .input(caseIdInput)
    .query(({ ctx, input }) => getReviewCase(ctx.deps.db, input.caseId)),
  claim: reviewerProcedure.input(caseIdInput).mutation(async ({ ctx, input }) => {
    await claimReviewCase(ctx.deps.db, input.caseId, ctx.principal.username);
    ctx.deps.live.nudge();
    return getReviewCase(ctx.deps.db, input.caseId);
  }),
  release: reviewerProcedure.input(caseIdInput).mutation(async ({ ctx, input }) => {
    await releaseReviewCase(ctx.deps.db, input.caseId, ctx.principal.username);
    ctx.deps.live.nudge();
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
    ctx.deps.live.nudge();
    return resolved;
  }),
} satisfies TRPCRouterRecord;
