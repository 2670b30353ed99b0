import type { IncomingMessage } from 'node:http';
import { accessTrailInput, revealInput } from '@nexus/schema';
import { jsonBody, parse, type RestRoute } from '../rest/restRoute';
import { accessTrail } from './accessRecords';
import { revealAndRecord } from './reveal';

/** The query string as an object; empty parameters count as absent, `limit` as a number. */
function trailQuery(req: IncomingMessage): Record<string, unknown> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const query: Record<string, unknown> = Object.fromEntries([...params].filter(([, v]) => v !== ''));
  if (typeof query.limit === 'string' && /^\d{1,6}$/.test(query.limit)) query.limit = Number(query.limit);
  return query;
}

/** REST adapters of the access trail (for auditors' tools) and of Reveal (for other front ends). */
export const ACCESS_ROUTES: RestRoute[] = [
  {
    method: 'GET',
    path: '/api/v1/access-records',
    level: 'admin',
    summary:
      "Who read whose data: ?customerId= (a person's trail), ?username= (an account's), &cursor=&limit=",
    handle: async (ctx, req) => ({
      status: 200,
      body: await accessTrail(ctx.deps.db, parse(accessTrailInput, trailQuery(req))),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/reveals',
    level: 'reviewer',
    summary:
      'One masked value in full: {"recordId" | "customerId" | "contactId", "field": "national_id" | "phone" | "email", "reason"?}; recorded in the access trail',
    handle: async (ctx, req) => ({
      status: 200,
      body: await revealAndRecord(ctx, await jsonBody(ctx, req, revealInput)),
    }),
  },
];
