import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import {
  createJobInput,
  createSourceInput,
  jobRejectionsInput,
  listJobsInput,
  testSourceInput,
  updateSourceInput,
} from '@nexus/schema';
import { RequestError } from '../errors/domainError';
import { jsonBody, parse, queryOf, signedIn, type RestContext, type RestRoute } from '../rest/restRoute';

const idParams = z.object({ id: z.string().uuid({ message: 'must be an id (a UUID)' }) });

const body = <S extends z.ZodType>(ctx: RestContext, req: IncomingMessage, schema: S) =>
  jsonBody(ctx, req, schema, '(NEXUS_MAX_BODY_BYTES)');

/** Streams a request body to a file, at most maxBytes; a larger or broken body leaves no file. */
async function saveBody(req: IncomingMessage, file: string, maxBytes: number): Promise<number> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () =>
    new RequestError(
      'REQUEST.TOO_LARGE',
      `the file is larger than ${maxBytes.toLocaleString('en')} bytes (NEXUS_UPLOAD_MAX_BYTES)`,
    );
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const out = createWriteStream(file, { mode: 0o600 });
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) throw tooLarge();
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
    if (!req.complete) throw new RequestError('REQUEST.INVALID', 'the body broke off');
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (error) {
    // The file opens asynchronously: removing it before the stream has closed can race the
    // open, and the open then leaves an empty file behind.
    out.destroy();
    if (!out.closed) await once(out, 'close');
    await fs.rm(file, { force: true });
    if (error instanceof RequestError) throw error;
    throw new RequestError('REQUEST.INVALID', 'the body broke off');
  }
  if (size === 0) {
    await fs.rm(file, { force: true });
    throw new RequestError('REQUEST.INVALID', 'the body is empty: send the file');
  }
  return size;
}

/** REST adapters of the job service (docs/decisions/0033-jobs.md); operators and admins only. */
export const JOB_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/sources',
    level: 'operator',
    summary:
      'Saves a source: {"name", "schedule"?, "source": {"kind", ...settings, "map"}}; secrets are never answered',
    handle: async (ctx, req) => ({
      status: 201,
      body: await ctx.deps.jobs.sources.create(
        await body(ctx, req, createSourceInput),
        signedIn(ctx).username,
      ),
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/sources',
    level: 'operator',
    summary: 'The saved sources',
    handle: async (ctx) => ({ status: 200, body: { items: await ctx.deps.jobs.sources.list() } }),
  },
  {
    method: 'GET',
    path: '/api/v1/sources/:id',
    level: 'operator',
    summary: 'One saved source',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await ctx.deps.jobs.sources.get(parse(idParams, params).id),
    }),
  },
  {
    method: 'PUT',
    path: '/api/v1/sources/:id',
    level: 'operator',
    summary: 'Changes a source (name, schedule, source); secrets left out keep their saved values',
    handle: async (ctx, req, params) => {
      const id = parse(idParams, params).id;
      const input = await body(ctx, req, updateSourceInput.omit({ sourceId: true }));
      return { status: 200, body: await ctx.deps.jobs.sources.update({ ...input, sourceId: id }) };
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/sources/:id',
    level: 'operator',
    summary: 'Deletes a source; its jobs stay',
    handle: async (ctx, _req, params) => {
      await ctx.deps.jobs.sources.remove(parse(idParams, params).id);
      return { status: 200, body: { deleted: true } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/sources/test',
    level: 'operator',
    summary:
      'Test the connection: {"sourceId"} or {"source": {...}} (or both: changed settings of a saved source), "rows"?; reads the first rows, stores nothing; 200 {"ok": true, "columns", "mapped", "unmapped", "rows", "more"} or {"ok": false, "error": {"code", "message", "retryable"}}',
    handle: async (ctx, req) => ({
      status: 200,
      body: await ctx.deps.jobs.testSource(await body(ctx, req, testSourceInput)),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/sources/:id/test',
    level: 'operator',
    summary: 'Test the connection of a saved source (no body; ?rows= to show, default 5), as above',
    handle: async (ctx, req, params) => {
      const input = parse(testSourceInput, { ...queryOf(req), sourceId: parse(idParams, params).id });
      return { status: 200, body: await ctx.deps.jobs.testSource(input) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/uploads',
    level: 'operator',
    summary: 'A CSV or NDJSON file as the raw body, kept for an upload source: {"uploadId", "bytes"}',
    handle: async (ctx, req) => {
      const uploadId = randomUUID();
      const file = path.join(ctx.deps.jobs.uploadDir, `${uploadId}.upload`);
      const bytes = await saveBody(req, file, ctx.deps.config.NEXUS_UPLOAD_MAX_BYTES);
      return { status: 201, body: { uploadId, bytes } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/jobs',
    level: 'operator',
    summary: 'Starts a job: {"sourceId"} or {"source": {...}}, optional "name"; 202 {"jobId", "status"}',
    handle: async (ctx, req) => {
      const input = await body(ctx, req, createJobInput);
      const p = signedIn(ctx);
      const job = await ctx.deps.jobs.createJob(input, { username: p.username, userId: p.userId });
      return { status: 202, body: { jobId: job.id, status: job.status } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/jobs',
    level: 'operator',
    summary: 'Jobs, newest first: ?status=&source=&limit=',
    handle: async (ctx, req) => ({
      status: 200,
      body: { items: await ctx.deps.jobs.jobs.list(parse(listJobsInput, queryOf(req))) },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/:id',
    level: 'operator',
    summary: 'A job: status, counts, error, step timings',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await ctx.deps.jobs.jobs.get(parse(idParams, params).id),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/jobs/:id',
    level: 'operator',
    summary: 'Cancels a job: stops fetching, cancels undecided records, keeps decided ones',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await ctx.deps.jobs.cancelJob(parse(idParams, params).id, signedIn(ctx).username),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/jobs/:id/retry',
    level: 'operator',
    summary: 'A new job with the same source and settings',
    handle: async (ctx, _req, params) => {
      const p = signedIn(ctx);
      const job = await ctx.deps.jobs.retryJob(parse(idParams, params).id, {
        username: p.username,
        userId: p.userId,
      });
      return { status: 202, body: { jobId: job.id, status: job.status } };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/:id/rejections',
    level: 'operator',
    summary: 'Rows the job rejected, by line, and why: ?afterLine=&limit=',
    handle: async (ctx, req, params) => {
      const input = parse(jobRejectionsInput, { ...queryOf(req), jobId: parse(idParams, params).id });
      return {
        status: 200,
        body: { items: await ctx.deps.jobs.jobs.rejections(input.jobId, input.afterLine, input.limit) },
      };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/:id/runs',
    level: 'operator',
    summary: 'Each fetch attempt of a job: rows from and to, outcome, error',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: { items: await ctx.deps.jobs.jobs.runs(parse(idParams, params).id) },
    }),
  },
  {
    method: 'GET',
    path: '/api/v1/jobs/:id/results.csv',
    level: 'operator',
    summary: "A job's records with their decisions and golden records, as CSV",
    handle: async (ctx, _req, params) => {
      const id = parse(idParams, params).id;
      await ctx.deps.jobs.jobs.row(id);
      return {
        status: 200,
        body: null,
        file: {
          contentType: 'text/csv; charset=utf-8',
          filename: `job-${id}-results.csv`,
          chunks: ctx.deps.jobs.jobs.resultsCsv(id),
        },
      };
    },
  },
];
