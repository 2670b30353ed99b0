import type { TRPCRouterRecord } from '@trpc/server';
import { addUserInput, apiKeyInput, usernameInput } from '@nexus/schema';
import { adminProcedure } from '../trpc/trpc';
import { apiKeySession } from './accountSessions';
import { addUser, apiKeysOf, disableUserByName, issueApiKey, listUsers, revokeApiKey } from './usersService';

export const usersRouter = {
  list: adminProcedure.query(({ ctx }) => listUsers(ctx.deps.db)),
  /** A person gets a generated password when none is given; a service account gets an API key. Both shown once. */
  add: adminProcedure
    .input(addUserInput)
    .mutation(({ ctx, input }) => addUser(ctx.deps.db, input, ctx.principal.username)),
  /** Also ends the account's open WebSocket connections (their subscriptions were authorised when they opened). */
  disable: adminProcedure.input(usernameInput).mutation(async ({ ctx, input }) => {
    const user = await disableUserByName(ctx.deps.db, input.username, ctx.principal);
    ctx.deps.sessions.closeAll(user.id);
    return user;
  }),
  issueApiKey: adminProcedure
    .input(usernameInput)
    .mutation(({ ctx, input }) => issueApiKey(ctx.deps.db, input.username, ctx.principal.username)),
  /** A service account's keys (ids and dates; the secrets are shown only when issued). */
  apiKeys: adminProcedure
    .input(usernameInput)
    .query(({ ctx, input }) => apiKeysOf(ctx.deps.db, input.username)),
  /** Revokes one key; the WebSocket connections it opened close (4401). */
  revokeApiKey: adminProcedure.input(apiKeyInput).mutation(async ({ ctx, input }) => {
    const keys = await revokeApiKey(ctx.deps.db, input, ctx.principal.username);
    ctx.deps.sessions.closeSession(apiKeySession(input.keyId), 'API key revoked');
    return keys;
  }),
} satisfies TRPCRouterRecord;
