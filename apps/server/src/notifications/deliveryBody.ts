/** An outbox row as subscribers see it. */
export interface NotificationMessage {
  type: string;
  /** The notification's own id (a UUID): receivers drop a repeat they have already seen by it. */
  id: string;
  key: string;
  sequence: number;
  data: Record<string, unknown>;
  createdAt: string;
}

/** The webhook body: exactly these keys, in this order. */
export function webhookBody(message: NotificationMessage): string {
  return JSON.stringify({
    type: message.type,
    id: message.id,
    key: message.key,
    sequence: message.sequence,
    data: message.data,
    createdAt: message.createdAt,
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
