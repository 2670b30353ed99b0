import type { TRPCRouterRecord } from '@trpc/server';
import { customerIdInput, customerSearchInput, mergeCustomersInput, splitCustomerInput } from '@nexus/schema';
import { reviewerProcedure } from '../trpc/trpc';
import { getCustomer, mergeCustomers, searchCustomers, splitCustomer } from './customersService';

export const customersRouter = {
  search: reviewerProcedure
    .input(customerSearchInput)
    .query(({ ctx, input }) => searchCustomers(ctx.deps.db, input)),
  get: reviewerProcedure
    .input(customerIdInput)
    .query(({ ctx, input }) => getCustomer(ctx.deps.db, input.customerId)),
  merge: reviewerProcedure.input(mergeCustomersInput).mutation(async ({ ctx, input }) => {
    const customer = await mergeCustomers(ctx.deps.db, input, ctx.principal.username);
    ctx.deps.live.nudge();
    return customer;
  }),
  split: reviewerProcedure.input(splitCustomerInput).mutation(async ({ ctx, input }) => {
    const result = await splitCustomer(ctx.deps.db, input, ctx.principal.username);
    ctx.deps.live.nudge();
    return result;
  }),
} satisfies TRPCRouterRecord;
