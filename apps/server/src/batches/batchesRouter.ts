import type { TRPCRouterRecord } from '@trpc/server';
import { batchIdInput, listBatchesInput } from '@nexus/schema';
import { viewerOf } from '../auth/ownership';
import { cancelBatch, getBatch } from './batchStatus';
import { recordAccess } from '../privacy/accessRecords';
import { ingestProcedure, operatorProcedure } from '../trpc/trpc';
import { batchRecordsInput } from './batchesInputs';
import { listBatchRecords } from './batchRecords';
import { listBatches, retryFailedRecords } from './batchesService';

/** An ingest account reaches only the batches it submitted; another's is NOT_FOUND, as a missing one. */
export const batchesRouter = {
  list: ingestProcedure
    .input(listBatchesInput)
    .query(({ ctx, input }) => listBatches(ctx.deps.db, input, viewerOf(ctx.principal))),
  get: ingestProcedure
    .input(batchIdInput)
    .query(({ ctx, input }) => getBatch(ctx.deps.db, input.batchId, viewerOf(ctx.principal))),
  /** A batch's records with their decisions, in submission order, optionally of one decision. */
  records: ingestProcedure.input(batchRecordsInput).query(async ({ ctx, input }) => {
    const page = await listBatchRecords(ctx.deps.db, input, viewerOf(ctx.principal));
    if (page.items.length > 0)
      await recordAccess(ctx, {
        action: 'batches.records',
        subjectType: 'batch',
        subjectId: input.batchId,
        recordIds: page.items.map((r) => r.id),
      });
    return page;
  }),
  /** Cancels what is not yet decided; decided records stay. */
  cancel: ingestProcedure.input(batchIdInput).mutation(async ({ ctx, input }) => {
    const batch = await cancelBatch(
      ctx.deps.db,
      input.batchId,
      ctx.principal.username,
      viewerOf(ctx.principal),
    );
    return batch;
  }),
  /** Re-publishes the batch's dead-lettered records. */
  retryFailed: operatorProcedure.input(batchIdInput).mutation(async ({ ctx, input }) => {
    const result = await retryFailedRecords(
      ctx.deps.db,
      ctx.deps.engine.bus,
      input.batchId,
      ctx.principal.username,
    );
    return result;
  }),
} satisfies TRPCRouterRecord;
