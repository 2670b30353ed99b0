import nodemailer, { type Transporter } from 'nodemailer';
import type { SubscriptionKind } from '@nexus/schema';
import { headline, slackBody, summaryLines, webhookBody, type NotificationMessage } from './deliveryBody';
import type { NotificationSettings } from './notificationSettings';
import { postJson, type PostOutcome } from './postJson';
import { signWebhook } from './webhookSignature';
import { WebhookAddresses } from './webhookAddresses';

export interface DeliveryTarget {
  id: string;
  kind: SubscriptionKind;
  target: string;
  /** The opened sealed value: the signing secret (webhook), the URL (slack). */
  secret: string | undefined;
}

const USER_AGENT = 'Nexus-Notifications/1';

/**
 * The three ways a notification leaves: a signed webhook, a Slack-compatible incoming webhook,
 * an email over SMTP. Each send answers an outcome for the delivery log and never throws.
 */
export class DeliveryChannels {
  private readonly addresses: WebhookAddresses;
  private mailer: Transporter | undefined;

  constructor(private readonly settings: NotificationSettings) {
    this.addresses = new WebhookAddresses(settings.urlHosts);
  }

  async send(target: DeliveryTarget, message: NotificationMessage, deliveryId: string): Promise<PostOutcome> {
    switch (target.kind) {
      case 'webhook': {
        if (!target.secret)
          return {
            statusCode: null,
            error: 'the signing secret does not open with this server key',
            ok: false,
          };
        const body = webhookBody(message);
        return postJson(
          target.target,
          body,
          {
            'content-type': 'application/json',
            'user-agent': USER_AGENT,
            'x-nexus-signature': signWebhook(target.secret, body, Math.floor(Date.now() / 1000)),
            'x-nexus-event-id': message.id,
            'x-nexus-delivery': deliveryId,
          },
          this.addresses,
          this.settings.timeoutMs,
        );
      }
      case 'slack':
        // The URL is sealed (it is the credential); `target` holds only its masked form.
        if (!target.secret)
          return { statusCode: null, error: 'the Slack URL does not open with this server key', ok: false };
        return postJson(
          target.secret,
          slackBody(message),
          { 'content-type': 'application/json', 'user-agent': USER_AGENT },
          this.addresses,
          this.settings.timeoutMs,
        );
      case 'email':
        return this.email(target.target, message);
    }
  }

  close(): void {
    this.mailer?.close();
  }

  private async email(to: string, message: NotificationMessage): Promise<PostOutcome> {
    if (!this.settings.smtpUrl)
      return { statusCode: null, error: 'no SMTP server configured (NEXUS_SMTP_URL)', ok: false };
    this.mailer ??= nodemailer.createTransport({
      url: this.settings.smtpUrl,
      connectionTimeout: this.settings.timeoutMs,
      greetingTimeout: this.settings.timeoutMs,
      socketTimeout: this.settings.timeoutMs,
    } as Parameters<typeof nodemailer.createTransport>[0]);
    try {
      await this.mailer.sendMail({
        from: this.settings.smtpFrom,
        to,
        subject: headline(message),
        text: [
          headline(message),
          '',
          ...summaryLines(message),
          '',
          `event ${message.id}, sequence ${message.sequence} of ${message.key}, at ${message.createdAt}`,
        ].join('\n'),
        headers: { 'X-Nexus-Event-Id': message.id },
      });
      return { statusCode: null, error: null, ok: true };
    } catch (error) {
      return {
        statusCode: null,
        error: `SMTP: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500),
        ok: false,
      };
    }
  }
}
