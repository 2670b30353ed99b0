import type { Config } from '../config';

/** What the delivery worker and the channels need from the configuration. */
export interface NotificationSettings {
  /** Addresses and ranges outside the public internet that webhook URLs may reach. */
  urlHosts: readonly string[];
  retryWindowMs: number;
  retryBaseMs: number;
  timeoutMs: number;
  concurrency: number;
  pollMs: number;
  smtpUrl: string | undefined;
  smtpFrom: string;
}

/** Longest wait between two attempts, whatever the window: a receiver back up is not left waiting long. */
export const MAX_RETRY_DELAY_MS = 3_600_000;

export function notificationSettings(config: Config): NotificationSettings {
  return {
    urlHosts: config.NEXUS_WEBHOOK_URL_HOSTS,
    retryWindowMs: Math.round(config.NEXUS_WEBHOOK_RETRY_HOURS * 3_600_000),
    retryBaseMs: config.NEXUS_WEBHOOK_RETRY_BASE_MS,
    timeoutMs: config.NEXUS_WEBHOOK_TIMEOUT_MS,
    concurrency: config.NEXUS_NOTIFY_CONCURRENCY,
    pollMs: config.NEXUS_NOTIFY_POLL_MS,
    smtpUrl: config.NEXUS_SMTP_URL,
    smtpFrom: config.NEXUS_SMTP_FROM,
  };
}

/**
 * The wait before the next attempt after `attempts` failed ones: exponential with jitter (half
 * fixed, half random), so receivers that come back are not hit by every engine at once.
 */
export function retryDelayMs(attempts: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_RETRY_DELAY_MS, baseMs * 2 ** Math.min(30, Math.max(0, attempts - 1)));
  return Math.round(exponential / 2 + (random() * exponential) / 2);
}
