import { streamRecordInput, submitBatchInput } from '@nexus/schema';
import { jsonBody, signedIn, type RestRoute } from '../rest/restRoute';
import { acceptBatch } from './acceptBatch';
import { streamRecord } from './streamRecord';

/** The two ways records come in over REST: path A (a batch) and path B (one record to the bus). */
export const INGEST_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/records',
    level: 'ingest',
    summary: 'Path A: a batch of records, stored in one transaction and decided asynchronously',
    handle: async (ctx, req) => {
      const input = await jsonBody(ctx, req, submitBatchInput);
      const receipt = await acceptBatch(ctx.deps, input, signedIn(ctx));
      return {
        status: 202,
        body: { batchId: receipt.batchId, accepted: receipt.accepted, rejected: receipt.rejected },
      };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/ingest',
    level: 'ingest',
    summary: 'Path B: one record straight to the record bus',
    handle: async (ctx, req) => {
      const input = await jsonBody(ctx, req, streamRecordInput);
      const receipt = await streamRecord(ctx.deps.db, ctx.deps.engine.bus, input, signedIn(ctx));
      return { status: 202, body: { recordId: receipt.recordId } };
    },
  },
];
