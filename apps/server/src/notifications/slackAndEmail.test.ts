import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { startSmtpReceiver } from '../../../../test/smtpReceiver';
import { eventually, WebhookReceiver } from '../../../../test/webhookReceiver';
import type { DeliveryView, SubscriptionView } from './subscriptionsService';

// Started before the server: its address goes into the server's configuration.
const smtp = await startSmtpReceiver();
const slack = new WebhookReceiver();
await slack.start();

describe('Slack and email subscriptions', () => {
  const suite = useTestServer({
    NEXUS_SECRET_KEY: 'a-server-secret-key-for-notification-tests',
    NEXUS_WEBHOOK_URL_HOSTS: '127.0.0.1',
    NEXUS_WEBHOOK_RETRY_BASE_MS: '20',
    NEXUS_NOTIFY_POLL_MS: '30',
    NEXUS_SMTP_URL: smtp.url,
    NEXUS_SMTP_FROM: 'nexus@nexus.example',
  });
  afterAll(async () => {
    await smtp.close();
    await slack.stop();
  });
  const subscribe = async (body: object) => {
    const res = await fetch(`${suite.server.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await suite.server.tokenFor('admin')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as SubscriptionView & { secret?: string };
  };
  const deliveries = async (id: string) => {
    const res = await fetch(`${suite.server.url}/api/v1/webhooks/${id}/deliveries`, {
      headers: { authorization: `Bearer ${await suite.server.tokenFor('operator')}` },
    });
    return ((await res.json()) as { deliveries: DeliveryView[] }).deliveries;
  };
  const notify = (type: string, key: string, data: Record<string, unknown>) =>
    suite.server.nexus.deps.notifications.notifier.notify({ type, key, data });

  it('posts a Slack incoming-webhook message: {"text": ...} naming what happened', async () => {
    const sub = await subscribe({ kind: 'slack', url: slack.url, events: ['job.failed'] });
    // The URL is the credential: shown by its origin only, and sealed in the database.
    expect(sub).toMatchObject({ kind: 'slack', url: `${new URL(slack.url).origin}/…`, to: null });
    expect(sub.secret).toBeUndefined();
    const stored = await suite.tdb.db
      .selectFrom('notification_subscriptions')
      .select(['target', 'secret'])
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain('/hook');
    expect(stored.secret).toMatch(/^sealed:v1:/);
    await notify('job.failed', 'job-slack-1', {
      name: 'nightly clinic import',
      status: 'failed',
      error: 'HTTP 401',
    });
    await eventually(() => expect(slack.accepted).toHaveLength(1));
    const message = JSON.parse(slack.accepted[0]!.body) as Record<string, unknown>;
    expect(Object.keys(message)).toEqual(['text']);
    expect(message.text).toContain('job.failed job-slack-1 "nightly clinic import" (failed)');
    expect(message.text).toContain('error: HTTP 401');
    expect(slack.accepted[0]!.headers['content-type']).toBe('application/json');
  });

  it('sends an email over SMTP to the subscribed address', async () => {
    const sub = await subscribe({ kind: 'email', to: 'ops@clinic.example', events: ['job.completed'] });
    expect(sub).toMatchObject({ kind: 'email', to: 'ops@clinic.example', url: null });
    await notify('job.completed', 'job-mail-1', { status: 'completed', counts: { read: 12, accepted: 11 } });
    const mail = await eventually(() => {
      expect(smtp.mails).toHaveLength(1);
      return smtp.mails[0]!;
    });
    expect(mail.from).toBe('nexus@nexus.example');
    expect(mail.to).toEqual(['ops@clinic.example']);
    expect(mail.raw).toMatch(/^Subject: Nexus: job.completed job-mail-1 \(completed\)/m);
    // The text part is quoted-printable: undo its soft line breaks.
    expect(mail.raw.replace(/=\r?\n/g, '')).toContain('counts: {"read":12,"accepted":11}');
    expect(mail.raw).toMatch(/^X-Nexus-Event-Id: [0-9a-f-]{36}/im);
    const [delivery] = await deliveries(sub.id);
    expect(delivery).toMatchObject({ status: 'delivered', key: 'job-mail-1' });
  });

  it('retries an email the SMTP server refused, and logs why', async () => {
    smtp.failing.on = true;
    const sub = await subscribe({ kind: 'email', to: 'night@clinic.example', events: ['job.failed'] });
    const before = smtp.mails.length;
    await notify('job.failed', 'job-mail-2', { status: 'failed' });
    await eventually(async () => {
      const [delivery] = await deliveries(sub.id);
      expect(delivery!.attemptLog[0]?.error).toMatch(/^SMTP: .*550/);
      expect(delivery!.status).toBe('pending');
    });
    smtp.failing.on = false;
    await eventually(() => expect(smtp.mails.length).toBe(before + 1));
    expect(smtp.mails.at(-1)!.to).toEqual(['night@clinic.example']);
  });
});
