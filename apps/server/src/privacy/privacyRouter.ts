import type { TRPCRouterRecord } from '@trpc/server';
import { erasureInput, personExportInput } from '@nexus/schema';
import { privacyProcedure } from '../trpc/trpc';
import { erase } from './erasureService';
import { exportPerson } from './exportPerson';

/** The typed side of erasure and access requests (same services as the REST routes). */
export const privacyRouter = {
  erase: privacyProcedure.input(erasureInput).mutation(async ({ ctx, input }) => {
    const result = await erase({ ...ctx.deps, abisUrl: ctx.deps.abisUrl }, input, ctx.principal.username);
    return result;
  }),
  exportPerson: privacyProcedure
    .input(personExportInput)
    .query(({ ctx, input }) =>
      exportPerson(
        ctx.deps.db,
        input.customerId,
        ctx.principal.username,
        ctx.deps.config.NEXUS_DEFAULT_COUNTRY,
      ),
    ),
} satisfies TRPCRouterRecord;
