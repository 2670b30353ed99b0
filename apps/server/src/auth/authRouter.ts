import type { TRPCRouterRecord } from '@trpc/server';
import { changePasswordInput, loginInput, refreshInput } from '@nexus/schema';
import { DomainError } from '../errors/domainError';
import type { Context } from '../trpc/context';
import { authedProcedure, publicProcedure } from '../trpc/trpc';
import { changePassword, login, refresh } from './authService';

/** Sign-ins are throttled per client address (NEXUS_LOGIN_RATE_PER_MINUTE), failures logged. */
export async function throttledLogin(
  ctx: Pick<Context, 'deps' | 'clientAddress' | 'log'>,
  input: { username: string; password: string },
) {
  const allowed = ctx.deps.loginLimiter.take(ctx.clientAddress);
  if (!allowed.ok) {
    ctx.log.warn({ client: ctx.clientAddress, username: input.username }, 'sign-in throttled');
    throw new DomainError(
      'REQUEST.RATE_LIMITED',
      `too many sign-in attempts: try again in ${allowed.retryAfterSeconds} s`,
    );
  }
  try {
    return await login(ctx.deps.auth, input);
  } catch (error) {
    ctx.log.warn({ client: ctx.clientAddress, username: input.username }, 'sign-in failed');
    throw error;
  }
}

export const authRouter = {
  login: publicProcedure.input(loginInput).mutation(({ ctx, input }) => throttledLogin(ctx, input)),
  refresh: publicProcedure
    .input(refreshInput)
    .mutation(({ ctx, input }) => refresh(ctx.deps.auth, input.refreshToken)),
  me: authedProcedure.query(({ ctx }) => ({ ...ctx.principal })),
  changePassword: authedProcedure.input(changePasswordInput).mutation(async ({ ctx, input }) => {
    await changePassword(ctx.deps.auth, ctx.principal, input);
    return { changed: true };
  }),
} satisfies TRPCRouterRecord;
