/**
 * Everything the API fuzz suite calls, read from the code itself, so a new procedure or route is
 * fuzzed without anyone listing it: every tRPC procedure of the appRouter (with the field names
 * of its input object) and every REST route.
 */
import { appRouter } from '../../src/trpc/appRouter';
import { REST_ROUTES, type RestRoute } from '../../src/rest/restRoutes';

export interface ProcedureTarget {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  /** Field names of the input object, when the input is an object. */
  keys: string[];
}

interface ProcedureDef {
  _def: { type: ProcedureTarget['type']; inputs: unknown[] };
}

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

export function procedureTargets(): ProcedureTarget[] {
  // The flat map of every procedure by its dotted path (tRPC keeps it beside the nested record).
  const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(procedures).map(([path, p]) => ({
    path,
    type: p._def.type,
    keys: p._def.inputs.flatMap(keysOf),
  }));
}

/** The field names of a REST route's JSON body, as far as the fuzz suite needs them. */
const REST_BODY_KEYS: Record<string, string[]> = {
  '/api/v1/auth/login': ['username', 'password'],
  '/api/v1/auth/refresh': ['refreshToken'],
  '/api/v1/records': ['source', 'records'],
  '/api/v1/ingest': ['source', 'record'],
};

/**
 * A query string a route is always called with: the events long poll answers at once instead of
 * holding each call for its default 30 s (the fuzz suite is about answers, not waiting).
 */
const REST_QUERY: Record<string, string> = {
  '/api/v1/events': '?wait=0',
};

export function restTargets(): Array<RestRoute & { keys: string[]; query: string }> {
  return REST_ROUTES.map((route) => ({
    ...route,
    keys: REST_BODY_KEYS[route.path] ?? [],
    query: REST_QUERY[route.path] ?? '',
  }));
}
