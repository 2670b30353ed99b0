import { z } from 'zod';
import {
  DEAD_LETTERS_TOPIC,
  deadLetterMessageSchema,
  EVENT_PAYLOADS,
  EVENT_SCHEMA_VERSION,
  EVENT_TYPES,
  eventEnvelopeSchema,
  NEXUS_EVENTS_TOPIC,
  type EventType,
} from '@nexus/schema';

/**
 * JSON Schema (draft 7, the AsyncAPI schema format's base) of a zod schema, as a consumer reads
 * it: `io: 'input'` leaves objects open, so a field added to a payload without raising
 * `schemaVersion` does not make old consumers' validation fail.
 */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
  });
  return rest;
}

/** The envelope with this type's `type` and `data`: the whole message a consumer receives. */
const eventSchemaOf = (type: EventType) =>
  eventEnvelopeSchema.extend({ type: z.literal(type), data: EVENT_PAYLOADS[type] });

const messageRefs = (channel: string) =>
  EVENT_TYPES.map((type) => ({ $ref: `#/channels/${channel}/messages/${type}` }));

let cached: object | undefined;

/**
 * The event stream (docs/events.md) as an AsyncAPI 3.0 document: one message per event type,
 * its payload generated from the zod schemas in packages/schema (events.ts) that the tests parse
 * events with, carried on Kafka `nexus.events` and on each webhook subscription. The pull route
 * `GET /api/v1/events` answers the same envelopes; it is in the OpenAPI document.
 */
export function asyncApiDocument(): object {
  cached ??= buildDocument();
  return cached;
}

function buildDocument(): object {
  const messages = Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      {
        name: type,
        title: type,
        contentType: 'application/json',
        payload: jsonSchemaOf(eventSchemaOf(type)),
      },
    ]),
  );
  const eventMessages = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, { $ref: `#/components/messages/${type}` }]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Nexus events',
      version: String(EVENT_SCHEMA_VERSION),
      description:
        'What Nexus decided and what people changed, one stream whatever the bus (docs/events.md). Every event is ' +
        'the same envelope on every channel: `id` (stable across redelivery: de-duplicate on it), `type`, `key` ' +
        '(the entity), `sequence` (1, 2, 3... per key, no gaps), `schemaVersion`, `source`, `createdAt`, `data`. ' +
        'Delivery is at least once and in order per key. Pull consumers read the same envelopes from ' +
        '`GET /api/v1/events?after=CURSOR` (see /api/openapi.json).',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: {
        host: 'localhost:9092',
        protocol: 'kafka',
        description: 'The brokers of KAFKA_BROKERS, when the deployment has Kafka.',
      },
    },
    channels: {
      events: {
        address: NEXUS_EVENTS_TOPIC,
        title: 'Kafka topic nexus.events',
        description:
          "Message key: the event's `key`; headers `event-id` and `event-type` repeat the envelope's. Consume with a " +
          'group of your own.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: eventMessages,
      },
      webhook: {
        address: null,
        title: 'A webhook subscription',
        description:
          "POSTed to each subscription's URL (POST /api/v1/webhooks), filtered by its event types and sources, " +
          'signed `X-Nexus-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` with the ' +
          "subscription's secret; `X-Nexus-Event-Id` repeats the id. Answer 2xx once processed; anything else is " +
          'retried with backoff, in order per key, for NEXUS_WEBHOOK_RETRY_HOURS.',
        messages: eventMessages,
      },
      deadLetters: {
        address: DEAD_LETTERS_TOPIC,
        title: 'Kafka topic nexus.dead-letters',
        description:
          'Messages the engine gave up on, with why (for tools that replay them). Header `event-id`.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
      },
    },
    operations: {
      publishEvents: {
        action: 'send',
        title: 'Nexus publishes every event to nexus.events',
        channel: { $ref: '#/channels/events' },
        messages: messageRefs('events'),
      },
      deliverWebhooks: {
        action: 'send',
        title: 'Nexus delivers the events a subscription wants to its URL',
        channel: { $ref: '#/channels/webhook' },
        messages: messageRefs('webhook'),
      },
      publishDeadLetters: {
        action: 'send',
        title: 'Nexus publishes what it gave up on to nexus.dead-letters',
        channel: { $ref: '#/channels/deadLetters' },
        messages: [{ $ref: '#/channels/deadLetters/messages/deadLetter' }],
      },
    },
    components: {
      messages: {
        ...messages,
        deadLetter: {
          name: 'deadLetter',
          title: 'A dead-lettered message',
          contentType: 'application/json',
          payload: jsonSchemaOf(deadLetterMessageSchema),
        },
      },
    },
  };
}
