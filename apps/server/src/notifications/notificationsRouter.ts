import type { TRPCRouterRecord } from '@trpc/server';
import {
  createSubscriptionInput,
  deliveriesInput,
  deliveryIdInput,
  replayInput,
  subscriptionIdInput,
} from '@nexus/schema';
import { adminProcedure, operatorProcedure } from '../trpc/trpc';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  pauseSubscription,
  redeliver,
  replaySubscription,
  resumeSubscription,
} from './subscriptionsService';

/**
 * The Notifications page: the same services as /api/v1/webhooks. Admins choose where data goes
 * (create, replay, delete); operators, who run the engine, watch deliveries and pause, resume and
 * redeliver to subscriptions an admin made.
 */
export const notificationsRouter = {
  list: operatorProcedure.query(({ ctx }) => listSubscriptions(ctx.deps.db)),
  get: operatorProcedure
    .input(subscriptionIdInput)
    .query(({ ctx, input }) => getSubscription(ctx.deps.db, input.id)),
  create: adminProcedure
    .input(createSubscriptionInput)
    .mutation(({ ctx, input }) =>
      createSubscription(ctx.deps.notifications.subscriptions, input, ctx.principal.username),
    ),
  delete: adminProcedure.input(subscriptionIdInput).mutation(async ({ ctx, input }) => {
    await deleteSubscription(ctx.deps.db, input.id);
    return { deleted: input.id };
  }),
  pause: operatorProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => pauseSubscription(ctx.deps.notifications.subscriptions, input.id)),
  resume: operatorProcedure
    .input(subscriptionIdInput)
    .mutation(({ ctx, input }) => resumeSubscription(ctx.deps.notifications.subscriptions, input.id)),
  replay: adminProcedure
    .input(replayInput)
    .mutation(({ ctx, input }) =>
      replaySubscription(ctx.deps.notifications.subscriptions, input.id, new Date(input.from)),
    ),
  deliveries: operatorProcedure
    .input(deliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.deps.db, input.id, input)),
  redeliver: operatorProcedure
    .input(deliveryIdInput)
    .mutation(({ ctx, input }) =>
      redeliver(ctx.deps.notifications.subscriptions, input.id, input.deliveryId),
    ),
} satisfies TRPCRouterRecord;
