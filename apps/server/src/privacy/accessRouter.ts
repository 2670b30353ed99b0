import type { TRPCRouterRecord } from '@trpc/server';
import { accessTrailInput, revealInput } from '@nexus/schema';
import { adminProcedure, reviewerProcedure } from '../trpc/trpc';
import { accessTrail } from './accessRecords';
import { revealAndRecord } from './reveal';

export const accessRouter = {
  /** Who read whose data, newest first: per person (customerId), per account (username), or all. */
  trail: adminProcedure.input(accessTrailInput).query(({ ctx, input }) => accessTrail(ctx.deps.db, input)),
  /** One masked value in full (a national id, a phone, an email), recorded as a read of its own. */
  reveal: reviewerProcedure.input(revealInput).mutation(({ ctx, input }) => revealAndRecord(ctx, input)),
} satisfies TRPCRouterRecord;
