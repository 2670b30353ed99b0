import type { TRPCRouterRecord } from '@trpc/server';
import { changePasswordInput, loginInput, refreshInput } from '@nexus/schema';
import { authedProcedure, publicProcedure } from '../trpc/trpc';
import { refresh } from './authService';
import { throttledChangePassword, throttledLogin } from './throttledAuth';

export const authRouter = {
  login: publicProcedure.input(loginInput).mutation(({ ctx, input }) => throttledLogin(ctx, input)),
  refresh: publicProcedure
    .input(refreshInput)
    .mutation(({ ctx, input }) => refresh(ctx.deps.auth, input.refreshToken)),
  me: authedProcedure.query(({ ctx }) => ({ ...ctx.principal })),
  changePassword: authedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) => throttledChangePassword(ctx, input)),
} satisfies TRPCRouterRecord;
