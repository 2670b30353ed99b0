import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

describe('dashboard: signing in and out (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('refuses a wrong password with a message, then signs in and shows the pages of the role', async () => {
    const { context, page } = await dashboard.fresh();
    await page.goto('/');
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong username or password');
    await dashboard.screenshot(page, 'sign-in');
    await context.close();

    const reviewer = await dashboard.signedIn('reviewer');
    const links = await reviewer.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link')
      .allTextContents();
    expect(links).toEqual(['Review', 'Customers', 'Contacts', 'Audit log', 'Reports']);
    // A reviewer typing an operator's address sees why not, not the page.
    await reviewer.page.goto('/dead-letters');
    await reviewer.page.getByText('This page is not for your role').waitFor();
    await reviewer.context.close();
  });

  it('keeps no token where scripts can read it, survives a reload, and signs out for good', async () => {
    const { context, page } = await dashboard.signedIn('admin');
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
    );
    expect(stored).not.toMatch(/eyJ|nxr_/);
    expect(await page.evaluate(() => document.cookie)).toBe('');
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === 'nexus_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });

    await page.reload();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.getByRole('link', { name: 'Users' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'nexus_session')).toBeUndefined();
    await context.close();
  });
  it('lets any signed-in person change their own password from the menu', async () => {
    const { context, page } = await dashboard.signedIn('reviewer');
    await page.getByRole('button', { name: 'Password' }).click();
    await page.getByLabel('Current password').fill('reviewer-password-1');
    await page.getByLabel('New password', { exact: true }).fill('a-new-reviewer-password');
    await page.getByLabel('New password again').fill('a-new-reviewer-password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByText(/changed/i)
      .first()
      .waitFor();
    await context.close();
    const res = await fetch(`${dashboard.server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'reviewer-user', password: 'a-new-reviewer-password' }),
    });
    expect(res.status).toBe(200);
  });
});
