import { ANALYTICS_ROUTES } from '../analytics/analyticsRoutes';
import { AUTH_ROUTES } from '../auth/authRoutes';
import { BATCH_ROUTES } from '../batches/batchRoutes';
import { IDENTIFY_ROUTES } from '../identify/identifyRoutes';
import { INGEST_ROUTES } from '../ingest/ingestRoutes';
import { JOB_ROUTES } from '../jobs/jobRoutes';
import { MODEL_ROUTES } from '../models/modelRoutes';
import { WEBHOOK_ROUTES } from '../notifications/webhooksRoutes';
import { ACCESS_ROUTES } from '../privacy/accessRoutes';
import { ERASURE_ROUTES } from '../privacy/erasureRoutes';
import { asyncApiDocument } from '../notifications/eventsAsyncApi';
import { openApiDocument } from './openapi';
import type { RestRoute } from './restRoute';
import { required } from '@nexus/schema';

export type { RestContext, RestReply, RestRoute } from './restRoute';
export { parse } from './restRoute';

/**
 * Every REST route, each declared beside its feature's service: thin adapters over the same
 * services as the tRPC procedures (docs/architecture.md, "Contracts").
 */
export const REST_ROUTES: RestRoute[] = [
  ...AUTH_ROUTES,
  ...INGEST_ROUTES,
  ...BATCH_ROUTES,
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
  {
    method: 'GET',
    path: '/api/asyncapi.json',
    level: 'authed',
    summary: 'The event stream (Kafka nexus.events, webhooks), described as AsyncAPI 3.0',
    handle: () => Promise.resolve({ status: 200, body: asyncApiDocument() }),
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
  for (const [i, w] of want.entries()) {
    const g = required(got[i], `segment ${i} of ${pathname}`);
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
