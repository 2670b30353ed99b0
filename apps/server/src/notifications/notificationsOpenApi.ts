import { z } from 'zod';
import { createSubscriptionInput } from '@nexus/schema';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });

const subscription = {
  type: 'object',
  required: ['id', 'kind', 'url', 'to', 'events', 'paused', 'state', 'pending', 'cursor', 'createdAt'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string', enum: ['webhook', 'slack', 'email'] },
    url: nullable('string', { description: 'webhook and slack' }),
    to: nullable('string', { description: 'email' }),
    events: { type: 'array', items: { type: 'string' } },
    paused: { type: 'boolean' },
    state: { type: 'string', enum: ['active', 'dead_lettered'] },
    deadLetteredAt: nullable('string', { format: 'date-time' }),
    lastError: nullable('string'),
    pending: { type: 'integer', description: 'deliveries waiting' },
    cursor: { type: 'string', description: 'the last outbox position given to this subscription' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const delivery = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    eventId: { type: 'string', format: 'uuid' },
    type: { type: 'string' },
    key: { type: 'string' },
    sequence: { type: 'integer' },
    status: { type: 'string', enum: ['pending', 'delivered', 'dead_lettered'] },
    attempts: { type: 'integer' },
    nextAttemptAt: nullable('string', { format: 'date-time' }),
    deliveredAt: nullable('string', { format: 'date-time' }),
    lastStatusCode: nullable('integer'),
    lastError: nullable('string'),
    createdAt: { type: 'string', format: 'date-time' },
    attemptLog: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          attempt: { type: 'integer' },
          at: { type: 'string', format: 'date-time' },
          statusCode: nullable('integer'),
          error: nullable('string'),
          durationMs: { type: 'integer' },
          nextAttemptAt: nullable('string', { format: 'date-time' }),
        },
      },
    },
  },
};

/** What a webhook receives (and GET /api/v1/events lists, with a `cursor` each). */
const notification = {
  type: 'object',
  required: ['type', 'id', 'key', 'sequence', 'data', 'createdAt'],
  properties: {
    type: { type: 'string', examples: ['job.completed'] },
    id: {
      type: 'string',
      format: 'uuid',
      description: 'drop repeats by this id (delivery is at least once)',
    },
    key: { type: 'string', description: 'the entity; sequence grows by one per key' },
    sequence: { type: 'integer' },
    data: { type: 'object' },
    createdAt: { type: 'string', format: 'date-time' },
  },
};

const id = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const ok = (schema: object, status = 200) => ({
  [status]: { description: 'ok', content: { 'application/json': { schema } } },
});

/** The subscription routes and the events long poll in the OpenAPI document. */
export function notificationsPaths(errors: (...statuses: number[]) => object) {
  return {
    '/api/v1/webhooks': {
      post: {
        summary:
          'Subscribe (admin): {"url", "events", "secret"?} for a webhook; {"kind": "slack", "url", "events"}; ' +
          '{"kind": "email", "to", "events"}. The answer carries the signing secret, this once.',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: json(createSubscriptionInput) } },
        },
        responses: {
          ...ok({ allOf: [subscription, { properties: { secret: { type: 'string' } } }] }, 201),
          ...errors(400, 401, 403, 409),
        },
      },
      get: {
        summary: 'Every subscription (operator)',
        responses: {
          ...ok({ type: 'object', properties: { subscriptions: { type: 'array', items: subscription } } }),
          ...errors(401, 403),
        },
      },
    },
    '/api/v1/webhooks/{id}': {
      get: {
        summary: 'One subscription',
        parameters: [id],
        responses: { ...ok(subscription), ...errors(400, 401, 403, 404) },
      },
      delete: {
        summary: 'Deletes a subscription and its delivery log (admin)',
        parameters: [id],
        responses: {
          ...ok({ type: 'object', properties: { deleted: { type: 'string' } } }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/api/v1/webhooks/{id}/pause': {
      post: {
        summary: 'Holds deliveries',
        parameters: [id],
        responses: { ...ok(subscription), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/webhooks/{id}/resume': {
      post: {
        summary: 'Sends again; a dead-lettered subscription becomes active with its deliveries queued again',
        parameters: [id],
        responses: { ...ok(subscription), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/webhooks/{id}/replay': {
      post: {
        summary: 'Delivers again every notification from a time on (admin)',
        parameters: [id],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['from'],
                properties: { from: { type: 'string', format: 'date-time' } },
              },
            },
          },
        },
        responses: { ...ok(subscription), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/webhooks/{id}/deliveries': {
      get: {
        summary: 'The delivery log, newest first, with each attempt',
        parameters: [
          id,
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 500 },
          },
          { name: 'before', in: 'query', required: false, schema: { type: 'integer' } },
        ],
        responses: {
          ...ok({ type: 'object', properties: { deliveries: { type: 'array', items: delivery } } }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': {
      post: {
        summary: 'Sends one delivery again now',
        parameters: [id, { name: 'deliveryId', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { ...ok(delivery, 202), ...errors(400, 401, 403, 404) },
      },
    },
    '/api/v1/events': {
      get: {
        summary:
          'The notifications outbox after a cursor, in order; waits up to `wait` seconds for news (long poll)',
        parameters: [
          { name: 'after', in: 'query', required: false, schema: { type: 'string', pattern: '^\\d+$' } },
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: 1000 },
          },
          {
            name: 'wait',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 0, maximum: 60 },
          },
          { name: 'type', in: 'query', required: false, schema: { type: 'string' } },
        ],
        responses: {
          ...ok({
            type: 'object',
            required: ['events', 'cursor'],
            properties: {
              events: {
                type: 'array',
                items: { allOf: [notification, { properties: { cursor: { type: 'string' } } }] },
              },
              cursor: { type: 'string', description: 'send as after= next time' },
            },
          }),
          ...errors(400, 401, 403),
        },
      },
    },
  };
}

/** The webhook body, for the document's components. */
export const NOTIFICATION_SCHEMA = notification;
