import type { TRPCRouterRecord } from '@trpc/server';
import { z } from 'zod';
import { accessReason, recordRefInput } from '@nexus/schema';
import { viewerOf } from '../auth/ownership';
import { recordAccess } from '../privacy/accessRecords';
import { audienceOf, maskRecordView } from '../privacy/masking';
import { authedProcedure, reviewerProcedure } from '../trpc/trpc';
import { getRecordFace } from './recordFace';
import { getRecord } from './recordsService';

export const recordsRouter = {
  /**
   * A record with its decision, explanation and waterfall; by id or by (source, externalId). An
   * ingest account gets only its own records, and their explanations without others' values.
   */
  get: authedProcedure.input(recordRefInput).query(async ({ ctx, input }) => {
    const record = await getRecord(ctx.deps.db, input, viewerOf(ctx.principal));
    await recordAccess(ctx, {
      action: 'records.get',
      subjectType: 'record',
      subjectId: record.id,
      recordIds: [record.id],
      customerIds: record.decision.goldenId ? [record.decision.goldenId] : [],
      reason: input.reason,
    });
    return maskRecordView(record, audienceOf(ctx));
  }),
  /** The record's face image as a data: URL, for reviewers comparing faces. */
  face: reviewerProcedure
    .input(
      z.object({ recordId: z.string().uuid({ message: 'must be a UUID' }), reason: accessReason.optional() }),
    )
    .query(async ({ ctx, input }) => {
      const face = await getRecordFace(ctx.deps.db, input.recordId, ctx.deps.engine.faces);
      if (face.dataUrl)
        await recordAccess(ctx, {
          action: 'records.face',
          subjectType: 'face',
          subjectId: input.recordId,
          recordIds: [input.recordId],
          reason: input.reason,
        });
      return face;
    }),
} satisfies TRPCRouterRecord;
