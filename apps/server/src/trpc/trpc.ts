import { initTRPC, TRPCError } from '@trpc/server';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { mayCall, type ProcedureLevel } from '../auth/roles';
import { DomainError } from '../errors/domainError';
import { describeError, toTRPCError, trpcCodeOf } from '../errors/errorMapping';
import { checkApiVersion } from './apiVersion';
import type { Context } from './context';
import { isAsyncIterable, releasingWhenDone, takeSubscriptionPlace } from './subscriptionCap';

/** Every procedure states who may call it; the role matrix test reads this. */
export interface ProcedureMeta {
  level: ProcedureLevel;
}

/**
 * The ONE place that calls initTRPC. Errors reach clients as their stable domain code and, for
 * invalid input, field by field; never with a stack trace or an internal message.
 */
const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const described = describeError(error);
      // A domain error thrown while a subscription runs (after the middleware below has returned)
      // reaches here as INTERNAL_SERVER_ERROR: it is the client's error, with its own code.
      const domain =
        error.code === 'INTERNAL_SERVER_ERROR' && error.cause instanceof DomainError ? error.cause : null;
      const key = domain ? trpcCodeOf(domain) : shape.data.code;
      return {
        code: domain ? TRPC_ERROR_CODES_BY_KEY[key] : shape.code,
        message: described.internal ? 'internal error' : shape.message,
        data: {
          code: key,
          httpStatus: domain ? domain.status : shape.data.httpStatus,
          path: shape.data.path,
          domainCode: described.body.code,
          fields: described.body.fields ?? null,
        },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Domain errors thrown by services become their mapped tRPC code, with the domain error as cause.
 * A subscription on a WebSocket holds one of its connection's places while it runs.
 */
const base = t.procedure.use(async ({ ctx, type, next }) => {
  try {
    checkApiVersion(ctx.apiVersion);
  } catch (error) {
    throw error instanceof DomainError ? toTRPCError(error) : error;
  }
  let release: (() => void) | undefined;
  if (type === 'subscription' && ctx.connection) {
    try {
      release = takeSubscriptionPlace(ctx.connection, ctx.deps.config.NEXUS_WS_MAX_SUBSCRIPTIONS);
    } catch (error) {
      throw error instanceof DomainError ? toTRPCError(error) : error;
    }
  }
  const result = await next();
  // A mutation that succeeded may have changed what live feeds show (a resolution, a cancel, a
  // batch): it is announced here, once, rather than by every router that changes state.
  if (result.ok && type === 'mutation') ctx.deps.engine.changes.announce('state_changed');
  if (!result.ok && result.error.cause instanceof DomainError) {
    release?.();
    throw toTRPCError(result.error.cause);
  }
  if (!release) return result;
  if (!result.ok || !isAsyncIterable(result.data)) {
    release();
    return result;
  }
  return { ...result, data: releasingWhenDone(result.data, release) };
});

function forLevel(level: Exclude<ProcedureLevel, 'public'>) {
  return base.meta({ level }).use(({ ctx, next, path }) => {
    if (!ctx.principal) {
      throw new TRPCError({
        code: 'UNAUTHORIZED',
        message: 'sign in first: send Authorization: Bearer TOKEN',
      });
    }
    if (!mayCall(level, ctx.principal.role)) {
      ctx.log.warn(
        { user: ctx.principal.username, role: ctx.principal.role, path, needs: level },
        'forbidden',
      );
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: `${path} is for the ${level} role; you are ${ctx.principal.role}`,
      });
    }
    return next({ ctx: { principal: ctx.principal } });
  });
}

export const publicProcedure = base.meta({ level: 'public' });
/** Any signed-in account, whatever its role. */
export const authedProcedure = forLevel('authed');
export const adminProcedure = forLevel('admin');
export const operatorProcedure = forLevel('operator');
export const reviewerProcedure = forLevel('reviewer');
export const ingestProcedure = forLevel('ingest');
/** `/identify` (contacts.identify); its REST route may be opened by NEXUS_IDENTIFY_PUBLIC. */
export const identifyProcedure = forLevel('identify');
/** Erasure and access requests (issue 18). */
export const privacyProcedure = forLevel('privacy');
