import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

const NATIONAL_ID = 'GB-1815-1210';
const PHONE = '+44 20 7946 0958';
const grace = {
  given_name: 'Grace',
  family_name: 'Hopper',
  date_of_birth: '1906-12-09',
  national_id: NATIONAL_ID,
  phone: PHONE,
  email: 'grace@navy.example',
  city: 'New York',
};

describe('dashboard: masked identifiers, Reveal and the access trail (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;
  let goldenId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
    const token = await dashboard.server.tokenFor('ingest');
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${dashboard.server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as { batchId?: string; status?: string };
    };
    const { batchId } = await call('POST', '/api/v1/records', {
      source: 'registry',
      records: [
        { ...grace, external_id: 'g-1' },
        { ...grace, external_id: 'g-2' },
      ],
    });
    for (let i = 0; i < 300; i++) {
      if ((await call('GET', `/api/v1/batches/${batchId}`)).status === 'completed') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const golden = await dashboard.server.nexus.db
      .selectFrom('golden_records')
      .select(['id', 'member_count'])
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(golden.member_count).toBe(2);
    goldenId = golden.id;
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('shows national ids and phones masked until a reviewer reveals one, which is recorded', async () => {
    const db = dashboard.server.nexus.db;
    const { context, page } = await dashboard.signedIn('reviewer');
    // Everything the API sends the page, to show the full value never reached it before Reveal.
    const answers: Promise<string>[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/trpc/')) answers.push(res.text().catch(() => ''));
    });
    await page.goto(`/customers/${goldenId}`);
    const best = page.getByRole('region', { name: 'Best values' });
    const row = (label: string) => best.locator('div', { has: page.getByText(label, { exact: true }) });
    await row('National id').getByText('********1210').waitFor();
    await row('Phone').getByText('************0958').waitFor();
    // Emails are not among the fields the dashboard masks for a reviewer.
    await row('Email').getByText('grace@navy.example').waitFor();
    expect(await page.content()).not.toContain(NATIONAL_ID);
    expect(await page.content()).not.toContain('7946 0958');
    const sent = (await Promise.all(answers)).join('\n');
    expect(sent).toContain('********1210');
    expect(sent).not.toContain(NATIONAL_ID);
    expect(sent).not.toContain('7946 0958');
    const revealsBefore = await db
      .selectFrom('access_records')
      .select('id')
      .where('action', 'like', 'access.reveal.%')
      .execute();
    expect(revealsBefore).toEqual([]);
    await dashboard.screenshot(page, 'customer-masked');

    const started = Date.now();
    await row('National id').getByRole('button', { name: 'Reveal' }).click();
    await row('National id').getByText(NATIONAL_ID, { exact: true }).waitFor();
    // One value revealed: the phone stays masked until asked for on its own.
    expect(await row('Phone').textContent()).toContain('************0958');
    expect(await page.content()).not.toContain('7946 0958');
    const reveals = await db
      .selectFrom('access_records')
      .select(['username', 'role', 'action', 'subject_type', 'subject_id', 'customer_ids', 'at'])
      .where('action', 'like', 'access.reveal.%')
      .execute();
    expect(reveals).toHaveLength(1);
    expect(reveals[0]).toMatchObject({
      username: 'reviewer-user',
      role: 'reviewer',
      action: 'access.reveal.national_id',
      subject_type: 'reveal',
      subject_id: goldenId,
      customer_ids: [goldenId],
    });
    expect(reveals[0]!.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
    await context.close();
  });

  it("lets an admin read a customer's trail and an account's, from the nav", async () => {
    const { context, page } = await dashboard.signedIn('admin');
    await page.getByRole('link', { name: 'Access trail' }).click();
    await page.waitForURL('**/access');
    const table = page.getByRole('table', { name: 'Access records' });
    await table.waitFor();
    await page.getByLabel('Customer id').fill(goldenId);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(`**/access?customerId=${goldenId}`);
    const revealRow = table.getByRole('row', { name: /access\.reveal\.national_id/ });
    await revealRow.waitFor();
    expect(await revealRow.textContent()).toContain('reviewer-user');
    // The reviewer's opening of the customer is in the trail as well, older than the reveal.
    const actions = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(actions).toContain('customers.get');
    expect(actions.indexOf('access.reveal.national_id')).toBeLessThan(actions.indexOf('customers.get'));
    await dashboard.screenshot(page, 'access-trail');

    // Per account: the reviewer's reads only, whoever they named.
    await revealRow.getByRole('button', { name: 'reviewer-user' }).click();
    await page.waitForURL('**/access?username=reviewer-user');
    await expect
      .poll(async () => [
        ...new Set(await table.locator('tbody tr td:nth-child(2) button').allTextContents()),
      ])
      .toEqual(['reviewer-user']);
    // The admin's own reads (none of a person yet) are not in it.
    await page.getByLabel('Account').fill('admin');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByText('Nobody read this').waitFor();

    // A customer id that is not one is told apart before asking the server.
    await page.getByLabel('Account').fill('');
    await page.getByLabel('Customer id').fill('not-a-customer');
    await page.getByRole('button', { name: 'Show' }).click();
    await page
      .getByRole('alert')
      .getByText(/A customer id is a UUID/)
      .waitFor();
    await context.close();
  });
});
