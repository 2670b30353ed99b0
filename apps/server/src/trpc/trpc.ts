import { initTRPC, TRPCError } from '@trpc/server';
import { mayCall, type ProcedureLevel } from '../auth/roles';
import { DomainError } from '../errors/domainError';
import { describeError, toTRPCError } from '../errors/errorMapping';
import type { Context } from './context';

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
      return {
        code: shape.code,
        message: described.internal ? 'internal error' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          path: shape.data.path,
          domainCode: described.body.code,
          fields: described.body.fields ?? null,
        },
      };
    },
  });

export const createRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors thrown by services become their mapped tRPC code, with the domain error as cause. */
const base = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) throw toTRPCError(result.error.cause);
  return result;
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
