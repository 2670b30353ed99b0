import type { IncomingMessage, ServerResponse } from 'node:http';
import { mayCall } from '../auth/roles';
import { DomainError } from '../errors/domainError';
import { matchRoute } from '../rest/restRoutes';
import { authenticationOf, credentialOf, type Context, type ServerDeps } from '../trpc/context';
import { sendError, sendFile, sendJson } from './respond';

/** REST: authentication and role as the route states, then the route; every failure through the one error mapping. */
export async function handleRest(
  deps: ServerDeps,
  base: Omit<Context, 'principal'>,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
) {
  try {
    const match = matchRoute(req.method ?? 'GET', pathname);
    if (!match.route) {
      if (match.methods.length > 0) {
        res.setHeader('allow', match.methods.join(', '));
        throw new DomainError(
          'REQUEST.METHOD_NOT_ALLOWED',
          `use ${match.methods.join(' or ')} on ${pathname}`,
        );
      }
      throw new DomainError('REQUEST.NOT_FOUND', `no route ${req.method ?? ''} ${pathname}`);
    }
    const { route, params } = match;
    let ctx: Context = { ...base, principal: null };
    const level = route.publicWhen?.(deps.config) === true ? 'public' : route.level;
    if (level !== 'public') {
      const auth = await authenticationOf(deps, req, credentialOf(req, null));
      if (!auth.principal) {
        if (auth.failure) base.log.warn({ reason: auth.failure, path: pathname }, 'authentication failed');
        throw new DomainError(
          'AUTH.UNAUTHENTICATED',
          'sign in first: send Authorization: Bearer TOKEN (POST /api/v1/auth/login)',
        );
      }
      if (!mayCall(route.level, auth.principal.role)) {
        base.log.warn(
          { user: auth.principal.username, role: auth.principal.role, path: pathname, needs: route.level },
          'forbidden',
        );
        throw new DomainError(
          'AUTH.FORBIDDEN',
          `${route.method} ${route.path} is for the ${route.level} role; you are ${auth.principal.role}`,
        );
      }
      ctx = { ...ctx, principal: auth.principal };
    }
    const reply = await route.handle(ctx, req, params);
    // As for tRPC mutations: whatever a write changed is announced once, here.
    if (route.method !== 'GET') deps.engine.changes.announce('state_changed');
    if (reply.file) await sendFile(res, reply.status, reply.file);
    else sendJson(res, reply.status, reply.body);
  } catch (error) {
    sendError(res, error, { requestId: base.requestId, path: pathname, log: base.log });
  }
}
