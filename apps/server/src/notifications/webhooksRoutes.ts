import {
  createSubscriptionBody,
  deliveriesInput,
  deliveryIdInput,
  eventsInput,
  replayInput,
  subscriptionIdInput,
} from '@nexus/schema';
import { AuthError } from '../auth/authErrors';
import { readJsonBody } from '../rest/readJsonBody';
import { queryOf, parse, type RestContext, type RestRoute } from '../rest/restRoute';
import { readEvents } from './outboxEvents';
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

function username(ctx: RestContext): string {
  if (!ctx.principal)
    throw new AuthError('AUTH.UNAUTHENTICATED', 'sign in first: send Authorization: Bearer TOKEN');
  return ctx.principal.username;
}

const subs = (ctx: RestContext) => ctx.deps.notifications.subscriptions;

/**
 * Subscriptions (webhooks, Slack, email) and the outbox for pull consumers
 * (docs/notifications.md). Admins create, replay and delete: they choose where data goes.
 * Operators watch deliveries and pause, resume and redeliver to subscriptions that exist.
 */
export const WEBHOOK_ROUTES: RestRoute[] = [
  {
    method: 'POST',
    path: '/api/v1/webhooks',
    level: 'admin',
    summary: 'Subscribes a webhook (or Slack, or email) to event types; answers its signing secret once',
    handle: async (ctx, req) => {
      const input = parse(
        createSubscriptionBody,
        await readJsonBody(req, ctx.deps.config.NEXUS_MAX_BODY_BYTES),
      );
      return { status: 201, body: await createSubscription(subs(ctx), input, username(ctx)) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks',
    level: 'operator',
    summary: 'Every subscription, with its state and waiting deliveries',
    handle: async (ctx) => ({ status: 200, body: { subscriptions: await listSubscriptions(ctx.deps.db) } }),
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/:id',
    level: 'operator',
    summary: 'One subscription',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await getSubscription(ctx.deps.db, parse(subscriptionIdInput, params).id),
    }),
  },
  {
    method: 'DELETE',
    path: '/api/v1/webhooks/:id',
    level: 'admin',
    summary: 'Deletes a subscription and its delivery log',
    handle: async (ctx, _req, params) => {
      const { id } = parse(subscriptionIdInput, params);
      await deleteSubscription(ctx.deps.db, id);
      return { status: 200, body: { deleted: id } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/pause',
    level: 'operator',
    summary: 'Holds deliveries (they keep being queued)',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await pauseSubscription(subs(ctx), parse(subscriptionIdInput, params).id),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/resume',
    level: 'operator',
    summary: 'Sends again: unpauses, and takes a dead-lettered subscription back with its deliveries',
    handle: async (ctx, _req, params) => ({
      status: 200,
      body: await resumeSubscription(subs(ctx), parse(subscriptionIdInput, params).id),
    }),
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/replay',
    level: 'admin',
    summary: 'Delivers again every notification from a time on: {"from": "2026-12-03T08:00:00Z"}',
    handle: async (ctx, req, params) => {
      const body = await readJsonBody(req, ctx.deps.config.NEXUS_MAX_BODY_BYTES);
      const fields = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
      const input = parse(replayInput, { ...fields, ...params });
      return { status: 200, body: await replaySubscription(subs(ctx), input.id, new Date(input.from)) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/webhooks/:id/deliveries',
    level: 'operator',
    summary: 'The delivery log, newest first, each with its attempts: ?limit=&before=',
    handle: async (ctx, req, params) => {
      const input = parse(deliveriesInput, { ...queryOf(req), ...params });
      return { status: 200, body: { deliveries: await listDeliveries(ctx.deps.db, input.id, input) } };
    },
  },
  {
    method: 'POST',
    path: '/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
    level: 'operator',
    summary: 'Sends one delivery again now (a dead-lettered subscription becomes active)',
    handle: async (ctx, _req, params) => {
      const input = parse(deliveryIdInput, params);
      return { status: 202, body: await redeliver(subs(ctx), input.id, input.deliveryId) };
    },
  },
  {
    method: 'GET',
    path: '/api/v1/events',
    level: 'operator',
    summary:
      'The notifications outbox after a cursor, in order (long poll): ?after=&limit=&wait=&type=&source=',
    handle: async (ctx, req) => {
      const input = parse(eventsInput, queryOf(req));
      const closed = new AbortController();
      const onClose = () => closed.abort();
      req.socket.once('close', onClose);
      try {
        const page = await readEvents(
          ctx.deps.db,
          {
            after: input.after,
            limit: input.limit,
            waitSeconds: input.wait,
            type: input.type,
            source: input.source,
          },
          (listener) => ctx.deps.notifications.news(listener),
          closed.signal,
        );
        return { status: 200, body: page };
      } finally {
        req.socket.off('close', onClose);
      }
    },
  },
];
