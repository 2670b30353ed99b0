import type { TRPCRouterRecord } from '@trpc/server';
import { recordRefInput } from '@nexus/schema';
import { authedProcedure } from '../trpc/trpc';
import { getRecord } from './recordsService';

export const recordsRouter = {
  /** A record with its decision, explanation and waterfall; by id or by (source, externalId). */
  get: authedProcedure.input(recordRefInput).query(({ ctx, input }) => getRecord(ctx.deps.db, input)),
} satisfies TRPCRouterRecord;
