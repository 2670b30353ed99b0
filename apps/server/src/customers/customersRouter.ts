import type { TRPCRouterRecord } from '@trpc/server';
import { customerIdInput, customerSearchInput, mergeCustomersInput, splitCustomerInput } from '@nexus/schema';
import { recordAccess, requireReason } from '../privacy/accessRecords';
import { audienceOf, maskCustomerSummary, maskCustomerView } from '../privacy/masking';
import { reviewerProcedure } from '../trpc/trpc';
import { getCustomer, mergeCustomers, searchCustomers, splitCustomer } from './customersService';

export const customersRouter = {
  /** A search for people outside the review queue: a reason is required, and recorded. */
  search: reviewerProcedure.input(customerSearchInput).query(async ({ ctx, input }) => {
    requireReason(ctx.principal, input.reason, 'customers.search');
    const found = await searchCustomers(ctx.deps.db, input);
    await recordAccess(ctx, {
      action: 'customers.search',
      subjectType: 'search',
      // What was searched by, never the values typed: they are personal data themselves.
      subjectId: (['name', 'dateOfBirth', 'identifier'] as const).filter((k) => input[k]).join(','),
      customerIds: found.map((c) => c.id),
      reason: input.reason,
    });
    return found.map((c) => maskCustomerSummary(c, audienceOf(ctx)));
  }),
  get: reviewerProcedure.input(customerIdInput).query(async ({ ctx, input }) => {
    const customer = await getCustomer(ctx.deps.db, input.customerId);
    await recordAccess(ctx, {
      action: 'customers.get',
      subjectType: 'golden_record',
      subjectId: customer.id,
      customerIds: [customer.id],
      recordIds: customer.members.map((m) => m.recordId),
      reason: input.reason,
    });
    return maskCustomerView(customer, audienceOf(ctx));
  }),
  merge: reviewerProcedure.input(mergeCustomersInput).mutation(async ({ ctx, input }) => {
    const customer = await mergeCustomers(ctx.deps.db, input, ctx.principal.username);
    return maskCustomerView(customer, audienceOf(ctx));
  }),
  split: reviewerProcedure.input(splitCustomerInput).mutation(async ({ ctx, input }) => {
    const result = await splitCustomer(ctx.deps.db, input, ctx.principal.username);
    return {
      customer: maskCustomerView(result.customer, audienceOf(ctx)),
      newCustomer: maskCustomerView(result.newCustomer, audienceOf(ctx)),
    };
  }),
} satisfies TRPCRouterRecord;
