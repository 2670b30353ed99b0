import type { TRPCRouterRecord } from '@trpc/server';
import { addUserInput, usernameInput } from '@nexus/schema';
import { adminProcedure } from '../trpc/trpc';
import { addUser, disableUserByName, issueApiKey, listUsers } from './usersService';

export const usersRouter = {
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.deps.db)),
  /** A person gets a generated password when none is given; a service account gets an API key. Both shown once. */
  add: adminProcedure
    .input(addUserInput)
    .mutation(({ ctx, input }) => addUser(ctx.deps.db, input, ctx.principal.username)),
  disable: adminProcedure
    .input(usernameInput)
    .mutation(({ ctx, input }) => disableUserByName(ctx.deps.db, input.username, ctx.principal.username)),
  issueApiKey: adminProcedure
    .input(usernameInput)
    .mutation(({ ctx, input }) => issueApiKey(ctx.deps.db, input.username, ctx.principal.username)),
} satisfies TRPCRouterRecord;
