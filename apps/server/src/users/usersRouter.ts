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
  /** Also ends the account's open WebSocket connections (their subscriptions were authorised when they opened). */
  disable: adminProcedure.input(usernameInput).mutation(async ({ ctx, input }) => {
    const user = await disableUserByName(ctx.deps.db, input.username, ctx.principal.username);
    ctx.deps.sessions.closeAll(user.id);
    return user;
  }),
  issueApiKey: adminProcedure
    .input(usernameInput)
    .mutation(({ ctx, input }) => issueApiKey(ctx.deps.db, input.username, ctx.principal.username)),
} satisfies TRPCRouterRecord;
