import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { loginInput, refreshInput, streamRecordInput, submitBatchInput } from '@nexus/schema';
import { AuthError } from '../auth/authErrors';
import { throttledLogin } from '../auth/throttledAuth';
import { refresh } from '../auth/authService';
import { viewerOf } from '../auth/ownership';
import type { Principal } from '../auth/roles';
import type { ProcedureLevel } from '../auth/roles';
import { RequestError } from '../errors/domainError';
import { zodFieldErrors } from '../errors/errorMapping';
import { cancelBatch, getBatch, type BatchView } from '../ingest/batchStatus';
import { streamRecord } from '../ingest/streamRecord';
import { acceptBatch } from '../ingest/acceptBatch';
import type { Config } from '../config';
import { IDENTIFY_ROUTES } from '../identify/identifyRoutes';
import type { Context } from '../trpc/context';
import { batchResultsCsv } from '../batches/batchResultsCsv';
import { ANALYTICS_ROUTES } from '../analytics/analyticsRoutes';
import { ERASURE_ROUTES } from '../privacy/erasureRoutes';
import { ACCESS_ROUTES } from '../privacy/accessRoutes';
import { recordAccess } from '../privacy/accessRecords';
import { WEBHOOK_ROUTES } from '../notifications/webhooksRoutes';
import { JOB_ROUTES } from '../jobs/jobRoutes';
import { MODEL_ROUTES } from '../models/modelRoutes';
import { openApiDocument } from './openapi';
import { readJsonBody } from './readJsonBody';

export type RestContext = Context;

export interface RestReply {
  status: number;
  body: unknown;
  /** Instead of a JSON body: a file written row by row (large CSVs), after the status and headers. */
  file?: { contentType: string; filename: string; chunks: AsyncIterable<string> };
}

export interface RestRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/api/v1/batches/:id` style; each `:name` becomes a parameter. */
  path: string;
  level: ProcedureLevel;
  /** When this holds for the running config, the route needs no token (NEXUS_IDENTIFY_PUBLIC for /identify). */
  publicWhen?: (config: Config) => boolean;
  summary: string;
  handle(ctx: RestContext, req: IncomingMessage, params: Record<string, string>): Promise<RestReply>;
}

export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new RequestError('REQUEST.INVALID', 'the request is invalid', {
      fields: zodFieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

const body = async <S extends z.ZodType>(ctx: RestContext, req: IncomingMessage, schema: S) =>
  parse(schema, await readJsonBody(req, ctx.deps.config.NEXUS_MAX_BODY_BYTES));

/**
 * The caller of a route that needs an account. The router already refused anonymous calls; this
 * keeps an anonymous call from ever reading as "sees everything" if a route's level were wrong.
 */
function signedIn(ctx: RestContext): Principal {
  if (!ctx.principal)
    throw new AuthError('AUTH.UNAUTHENTICATED', 'sign in first: send Authorization: Bearer TOKEN');
  return ctx.principal;
}

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

/** Thin adapters over the same services as the tRPC procedures (docs/architecture.md, "Contracts"). */
export const REST_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/auth/login',
    level: 'public',
    summary: 'Sign in: an access token (JWT) and a refresh token',
    handle: async (ctx, req) => ({
      status: 200,
      body: await throttledLogin(ctx, await body(ctx, req, loginInput)),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/auth/refresh',
    level: 'public',
    summary: 'A new token pair for a refresh token (which is spent)',
    handle: async (ctx, req) => {
      const input = await body(ctx, req, refreshInput);
      return { status: 200, body: await refresh(ctx.deps.auth, input.refreshToken) };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/records',
    level: 'ingest',
    summary: 'Path A: a batch of records, stored in one transaction and decided asynchronously',
    handle: async (ctx, req) => {
      const input = await body(ctx, req, submitBatchInput);
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
      const input = await body(ctx, req, streamRecordInput);
      const receipt = await streamRecord(ctx.deps.db, ctx.deps.engine.bus, input, signedIn(ctx));
      return { status: 202, body: { recordId: receipt.recordId } };
    },
  },
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
  ...ANALYTICS_ROUTES,
  ...ACCESS_ROUTES,
  ...WEBHOOK_ROUTES,
  ...JOB_ROUTES,
  ...MODEL_ROUTES,
  {
    method: 'GET',
    path: '/api/openapi.json',
    level: 'authed',
    summary: 'This API, described as OpenAPI 3.1',
    handle: () => Promise.resolve({ status: 200, body: openApiDocument() }),
  },
  ...IDENTIFY_ROUTES,
  ...ERASURE_ROUTES,
];

/** The route for a method and path, with its parameters; `methods` lists the path's methods when only the method is wrong. */
export function matchRoute(
  method: string,
  pathname: string,
): { route: RestRoute; params: Record<string, string> } | { route: undefined; methods: string[] } {
  const methods: string[] = [];
  for (const route of REST_ROUTES) {
    const params = matchPath(route.path, pathname);
    if (!params) continue;
    if (route.method === method) return { route, params };
    methods.push(route.method);
  }
  return { route: undefined, methods };
}

function matchPath(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        params[w.slice(1)] = g;
      }
    } else if (w !== g) return undefined;
  }
  return params;
}
