import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../../server/src/users/usersService';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

describe('dashboard: users and the audit log (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
    await addUser(
      dashboard.server.nexus.db,
      { username: 'loader', role: 'ingest', kind: 'service' },
      'admin',
    );
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('an admin adds a user who then signs in with the chosen password; the audit log shows it, live', async () => {
    const { context, page } = await dashboard.signedIn('admin');
    await page.getByRole('link', { name: 'Users' }).click();
    const users = page.getByRole('table', { name: 'Users' });
    await users.getByText('loader').waitFor();

    await page.getByLabel('Username').fill('olga');
    await page.getByLabel('Role').selectOption('operator');
    await page.getByLabel('Initial password').fill('short');
    await page.getByText('At least 8 characters (5 so far)').waitFor();
    expect(await page.getByRole('button', { name: 'Add person' }).isDisabled()).toBe(true);
    await page.getByLabel('Initial password').fill('olga-password-1');
    await page.getByRole('button', { name: 'Add person' }).click();
    const olga = users.getByRole('row').filter({ hasText: 'olga' });
    await olga.waitFor();
    expect(await olga.textContent()).toContain('operator');
    expect(await olga.textContent()).toContain('never');

    // A service account's key: shown once, with a copy button.
    await page.getByRole('button', { name: 'Issue an API key for loader' }).click();
    const secret = page.getByRole('region', { name: 'New API key for loader' });
    await secret.getByText('Shown once.').waitFor();
    expect(await secret.getByLabel('Secret').textContent()).toMatch(/\S{20,}/);
    await dashboard.screenshot(page, 'users');
    await secret.getByRole('button', { name: 'I have stored it' }).click();

    const other = await dashboard.fresh();
    await other.page.goto('/');
    await other.page.getByLabel('Username').fill('olga');
    await other.page.getByLabel('Password').fill('olga-password-1');
    await other.page.getByRole('button', { name: 'Sign in' }).click();
    await other.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .waitFor();
    await other.context.close();

    await page.getByRole('link', { name: 'Audit log' }).click();
    const entries = page.getByRole('table', { name: 'Audit entries' });
    const created = entries.getByRole('row').filter({ hasText: 'user.created' }).filter({ hasText: 'admin' });
    await created.first().waitFor();
    await page.getByLabel('Entity').selectOption('user');
    await page.waitForURL(/entityType=user/);
    await entries.getByRole('row').filter({ hasText: 'user.api_key_issued' }).waitFor();
    // The newest user.created is olga's: open it to its before and after.
    await created
      .first()
      .getByRole('button', { name: /Show changes/ })
      .click();
    const changes = entries.locator('.audit-changes tr', { hasText: 'username' });
    await changes.waitFor();
    expect(await changes.textContent()).toContain('olga');
    await page.getByText('New entries arrive live').waitFor();

    // Someone else adds a user: it waits behind the bar until asked for, then sits on top.
    const before = await entries.getByRole('row').count();
    await addUser(
      dashboard.server.nexus.db,
      { username: 'pavel', role: 'reviewer', password: 'pavel-password-1' },
      'root-ops',
    );
    await page.getByRole('button', { name: '1 new entry: show' }).waitFor();
    expect(await entries.getByRole('row').count()).toBe(before);
    await page.getByRole('button', { name: '1 new entry: show' }).click();
    await expect.poll(() => entries.getByRole('row').nth(1).textContent()).toContain('root-ops');
    await dashboard.screenshot(page, 'audit');
    await context.close();
  });
});
