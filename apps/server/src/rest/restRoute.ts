import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { AuthError } from '../auth/authErrors';
import type { Principal, ProcedureLevel } from '../auth/roles';
import type { Config } from '../config';
import { RequestError } from '../errors/domainError';
import { zodFieldErrors } from '../errors/errorMapping';
import type { Context } from '../trpc/context';
import { readJsonBody } from './readJsonBody';

/**
 * What a feature needs to offer REST routes: the route shape and the few checks every handler
 * makes. Features declare their routes beside their service (`jobs/jobRoutes.ts`, ...);
 * `restRoutes.ts` only lists them.
 */
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

/** A value checked against its schema: 400 REQUEST.INVALID with the fields at fault otherwise. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new RequestError('REQUEST.INVALID', 'the request is invalid', {
      fields: zodFieldErrors(parsed.error),
    });
  }
  return parsed.data;
}

/** The JSON body, within NEXUS_MAX_BODY_BYTES, checked against its schema. */
export async function jsonBody<S extends z.ZodType>(
  ctx: RestContext,
  req: IncomingMessage,
  schema: S,
  advice?: string,
): Promise<z.output<S>> {
  return parse(schema, await readJsonBody(req, ctx.deps.config.NEXUS_MAX_BODY_BYTES, advice));
}

/** The query string as an object; empty parameters count as absent. */
export function queryOf(req: IncomingMessage): Record<string, string> {
  const params = new URL(req.url ?? '/', 'http://localhost').searchParams;
  return Object.fromEntries([...params].filter(([, v]) => v !== ''));
}

/**
 * The caller of a route that needs an account. The router already refused anonymous calls; this
 * keeps an anonymous call from ever reading as "sees everything" if a route's level were wrong.
 */
export function signedIn(ctx: RestContext): Principal {
  if (!ctx.principal)
    throw new AuthError('AUTH.UNAUTHENTICATED', 'sign in first: send Authorization: Bearer TOKEN');
  return ctx.principal;
}
