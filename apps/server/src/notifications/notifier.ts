/**
 * Something that happened which subscribers (webhooks, Slack, email) may want to hear about: a
 * job that ended, and later every engine event. Features announce through this port and never
 * learn how, or whether, anyone is told.
 */
export interface Notification {
  /** Dotted event type, e.g. `job.completed`, `job.failed`. */
  type: string;
  /** The entity it is about (e.g. the job id); deliveries for one key keep their order. */
  key: string;
  /** A JSON-serialisable summary; never secrets. */
  data: Record<string, unknown>;
}

export interface Notifier {
  /**
   * Records the notification for delivery and returns; delivery happens later, with its own
   * retries, so a subscriber that is down never blocks or fails the caller.
   */
  notify(notification: Notification): Promise<void>;
}

/** For deployments and tests with nobody to tell. */
export const silentNotifier: Notifier = { notify: () => Promise.resolve() };
