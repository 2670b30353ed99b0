import type { TRPCRouterRecord } from '@trpc/server';
import { streamRecordInput, submitBatchInput } from '@nexus/schema';
import { ingestProcedure } from '../trpc/trpc';
import { readUpload } from './readUpload';
import { readUploadInput } from './readUploadInput';
import { streamRecord } from './streamRecord';
import { acceptBatch } from './acceptBatch';

export const ingestRouter = {
  /** Path A: one transaction stores the batch; the relay is woken to publish it. */
  submitBatch: ingestProcedure
    .input(submitBatchInput)
    .mutation(({ ctx, input }) => acceptBatch(ctx.deps, input, ctx.principal)),
  /** Reads an uploaded CSV, NDJSON or JSON file with the server's readers; stores nothing (the dashboard then submits). */
  readUpload: ingestProcedure
    .input(readUploadInput)
    .mutation(({ input }) => readUpload(input.fileName, input.content)),
  /** Path B: one record straight to the bus; answers its record id. */
  stream: ingestProcedure
    .input(streamRecordInput)
    .mutation(({ ctx, input }) => streamRecord(ctx.deps.db, ctx.deps.engine.bus, input, ctx.principal)),
} satisfies TRPCRouterRecord;
