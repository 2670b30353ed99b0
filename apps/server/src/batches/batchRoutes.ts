import { z } from 'zod';
import { viewerOf } from '../auth/ownership';
import { recordAccess } from '../privacy/accessRecords';
import { parse, signedIn, type RestRoute } from '../rest/restRoute';
import { batchResultsCsv } from './batchResultsCsv';
import { cancelBatch, getBatch, type BatchView } from './batchStatus';

const batchParams = z.object({ id: z.string().uuid({ message: 'must be a batch id (a UUID)' }) });

/** The REST contract's batch shape: exactly these keys. */
export function restBatch(view: BatchView) {
  const c = view.counts;
  return {
    id: view.id,
    status: view.status,
    counts: {
      records: c.records,
      pending: c.pending,
      new: c.new,
      linked: c.linked,
      review: c.review,
      rejected: c.rejected,
      dead_lettered: c.dead_lettered,
    },
  };
}

/** A batch over REST: its counts, cancelling what is undecided, and its results as CSV. */
export const BATCH_ROUTES: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/batches/:id',
    level: 'ingest',
    summary: 'A batch with its counts by decision',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: restBatch(await getBatch(ctx.deps.db, parse(batchParams, params).id, viewerOf(signedIn(ctx)))),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/batches/:id',
    level: 'ingest',
    summary: 'Cancels what is not yet decided in a batch',
    handle: async (ctx, _req, params) => {
      const id = parse(batchParams, params).id;
      const view = await cancelBatch(ctx.deps.db, id, signedIn(ctx).username, viewerOf(signedIn(ctx)));
      return { status: 200, body: restBatch(view) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/batches/:id/results.csv',
    level: 'ingest',
    summary: "A batch's records with their decisions and golden records, as CSV",
    handle: async (ctx, _req, params) => {
      const id = parse(batchParams, params).id;
      // Read the batch first: an unknown batch, or another account's, is a 404, not an empty file.
      await getBatch(ctx.deps.db, id, viewerOf(signedIn(ctx)));
      // One record for the file: the batch names its records (the trail of a person finds it so).
      await recordAccess(ctx, { action: 'batches.results_csv', subjectType: 'batch', subjectId: id });
      return {
        status: 200,
        body: null,
        file: {
          contentType: 'text/csv; charset=utf-8',
          filename: `batch-${id}-results.csv`,
          chunks: batchResultsCsv(ctx.deps.db, id),
        },
      };
    },
  },
];
