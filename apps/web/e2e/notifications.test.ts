import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { eventually, WebhookReceiver } from '../../../test/webhookReceiver';

describe('dashboard: notifications (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb, {
      NEXUS_SECRET_KEY: 'a-server-secret-key-for-notification-tests',
      NEXUS_WEBHOOK_URL_HOSTS: '127.0.0.1',
      NEXUS_NOTIFY_POLL_MS: '50',
    });
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
    await receiver.stop();
  });

  it('an admin subscribes a webhook, sees its secret once, its deliveries, and redelivers one', async () => {
    const { context, page } = await dashboard.signedIn('admin');
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByText('No subscriptions').waitFor();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Subscribe' }).click();
    expect(await page.getByTestId('webhook-secret').textContent()).toMatch(/^whsec_\S{43}$/);
    const row = page
      .getByRole('table', { name: 'Subscriptions' })
      .getByRole('row')
      .filter({ hasText: receiver.url });
    await row.waitFor();
    expect(await row.textContent()).toContain('job.completed, job.failed');

    await dashboard.server.nexus.deps.notifications.notifier.notify({
      type: 'job.completed',
      key: 'job-e2e',
      data: { status: 'completed' },
    });
    await eventually(() => expect(receiver.accepted).toHaveLength(1));
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const delivery = page
      .getByRole('table', { name: 'Delivery log' })
      .getByRole('row')
      .filter({ hasText: 'job-e2e' });
    await delivery.filter({ hasText: 'delivered' }).waitFor();
    await delivery.getByRole('button', { name: 'Redeliver' }).click();
    await eventually(() => expect(receiver.accepted).toHaveLength(2));
    expect(receiver.messages()[1]!.id).toBe(receiver.messages()[0]!.id);
    await context.close();
  });

  it('an operator pauses and resumes but may not subscribe', async () => {
    const { context, page } = await dashboard.signedIn('operator');
    await page.getByRole('link', { name: 'Notifications' }).click();
    const row = page
      .getByRole('table', { name: 'Subscriptions' })
      .getByRole('row')
      .filter({ hasText: receiver.url });
    await row.waitFor();
    expect(await page.getByRole('form', { name: 'Subscribe' }).count()).toBe(0);
    expect(await row.getByRole('button', { name: 'Delete' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Pause' }).click();
    await row.getByText('paused').waitFor();
    const [sub] = await tdb.db.selectFrom('notification_subscriptions').select('paused').execute();
    expect(sub!.paused).toBe(true);
    await row.getByRole('button', { name: 'Resume' }).click();
    await row.getByText('active').waitFor();
    await context.close();
  });
});
