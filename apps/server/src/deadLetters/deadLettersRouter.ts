import type { TRPCRouterRecord } from '@trpc/server';
import { deadLetterIdInput, discardDeadLetterInput, listDeadLettersInput } from '@nexus/schema';
import { operatorProcedure } from '../trpc/trpc';
import { discardDeadLetter, listDeadLetters, replayDeadLetter } from './deadLettersService';

export const deadLettersRouter = {
  list: operatorProcedure
    .input(listDeadLettersInput)
    .query(({ ctx, input }) => listDeadLetters(ctx.deps.db, input)),
  replay: operatorProcedure.input(deadLetterIdInput).mutation(async ({ ctx, input }) => {
    const result = await replayDeadLetter(ctx.deps.db, ctx.deps.engine.bus, input.id, ctx.principal.username);
    return result;
  }),
  discard: operatorProcedure.input(discardDeadLetterInput).mutation(async ({ ctx, input }) => {
    await discardDeadLetter(ctx.deps.db, input.id, input.reason, ctx.principal.username);
    return { discarded: true };
  }),
} satisfies TRPCRouterRecord;
