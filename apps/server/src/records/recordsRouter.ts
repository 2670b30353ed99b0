import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { recordRefInput } from '@nexus/schema';
import { viewerOf } from '../auth/ownership';
import { authedProcedure, reviewerProcedure } from '../trpc/trpc';
import { getRecordFace } from './recordFace';
import { getRecord } from './recordsService';

export const recordsRouter = {
  /**
   * A record with its decision, explanation and waterfall; by id or by (source, externalId). An
   * ingest account gets only its own records, and their explanations without others' values.
   */
  get: authedProcedure
    .input(recordRefInput)
    .query(({ ctx, input }) => getRecord(ctx.deps.db, input, viewerOf(ctx.principal))),
  /** The record's face image as a data: URL, for reviewers comparing faces. */
  face: reviewerProcedure
    .input(z.object({ recordId: z.string().uuid({ message: 'must be a UUID' }) }))
    .query(({ ctx, input }) => getRecordFace(ctx.deps.db, input.recordId, ctx.deps.engine.faces)),
} satisfies TRPCRouterRecord;
