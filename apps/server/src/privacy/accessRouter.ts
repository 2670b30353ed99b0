import type { TRPCRouterRecord } from '@trpc/server';
import { accessTrailInput, revealInput } from '@nexus/schema';
import { adminProcedure, reviewerProcedure } from '../trpc/trpc';
import { accessTrail, recordAccess } from './accessRecords';
import { revealField } from './reveal';

export const accessRouter = {
  /** Who read whose data, newest first: per person (customerId), per account (username), or all. */
  trail: adminProcedure.input(accessTrailInput).query(({ ctx, input }) => accessTrail(ctx.deps.db, input)),
  /** One masked value in full (a national id, a phone, an email), recorded as a read of its own. */
  reveal: reviewerProcedure.input(revealInput).mutation(async ({ ctx, input }) => {
    const revealed = await revealField(ctx.deps.db, input);
    await recordAccess(ctx, {
      action: `access.reveal.${input.field}`,
      subjectType: 'reveal',
      subjectId: input.recordId ?? input.customerId!,
      customerIds: revealed.customerIds,
      recordIds: input.recordId ? [input.recordId] : [],
      reason: input.reason,
    });
    return { field: input.field, value: revealed.value };
  }),
} satisfies TRPCRouterRecord;
