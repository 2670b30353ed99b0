import type { EventEnvelope } from '@nexus/schema';

/**
 * An event as subscribers see it: the envelope of packages/schema's events.ts, the same on Kafka,
 * in webhooks and from `GET /api/v1/events`. Receivers drop a repeat they have already seen by `id`.
 */
export type NotificationMessage = EventEnvelope;

/** The webhook body: exactly the envelope's keys, in the envelope's order (as on Kafka). */
export function webhookBody(message: NotificationMessage): string {
  return JSON.stringify({
    id: message.id,
    type: message.type,
    key: message.key,
    sequence: message.sequence,
    schemaVersion: message.schemaVersion,
    source: message.source,
    createdAt: message.createdAt,
    data: message.data,
  });
}

/** One line for people (Slack, an email subject): what happened to what. */
export function headline(message: NotificationMessage): string {
  const status = typeof message.data.status === 'string' ? ` (${message.data.status})` : '';
  const name = typeof message.data.name === 'string' ? ` "${message.data.name}"` : '';
  return `Nexus: ${message.type} ${message.key}${name}${status}`;
}

/** The Slack incoming-webhook message: the headline, then the summary's fields. */
export function slackBody(message: NotificationMessage): string {
  return JSON.stringify({ text: `${headline(message)}\n${summaryLines(message).join('\n')}` });
}

/** The summary's top-level fields as `name: value` lines (nested values as JSON), at most 40. */
export function summaryLines(message: NotificationMessage): string[] {
  return Object.entries(message.data)
    .slice(0, 40)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
