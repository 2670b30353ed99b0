import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { recordRefInput } from '@nexus/schema';
import { authedProcedure, reviewerProcedure } from '../trpc/trpc';
import { getRecordFace } from './recordFace';
import { getRecord } from './recordsService';

export const recordsRouter = {
  /** A record with its decision, explanation and waterfall; by id or by (source, externalId). */
  get: authedProcedure.input(recordRefInput).query(({ ctx, input }) => getRecord(ctx.deps.db, input)),
  /** The record's face image as a data: URL, for reviewers comparing faces. */
  face: reviewerProcedure
    .input(z.object({ recordId: z.string().uuid({ message: 'must be a UUID' }) }))
    .query(({ ctx, input }) => getRecordFace(ctx.deps.db, input.recordId, ctx.deps.engine.faces)),
} satisfies TRPCRouterRecord;
