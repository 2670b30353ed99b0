import type { TRPCRouterRecord } from '@trpc/server';
import { listAuditInput } from '@nexus/schema';
import { reviewerProcedure } from '../trpc/trpc';
import { listAudit } from './auditService';

export const auditRouter = {
  list: reviewerProcedure.input(listAuditInput).query(({ ctx, input }) => listAudit(ctx.deps.db, input)),
} satisfies TRPCRouterRecord;
