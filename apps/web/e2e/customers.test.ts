import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faceDataUrl } from '../../server/test/biometrics/faces';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

const ada = {
  given_name: 'Ada',
  family_name: 'Lovelace',
  date_of_birth: '1815-12-10',
  gender: 'F',
  national_id: 'GB-1815-1210',
  email: 'ada@analytical.engine',
  phone: '+44 20 7946 0958',
  street: 'St James Square',
  street_number: '12',
  city: 'London',
  postcode: 'SW1Y 4JH',
  country: 'GB',
};

describe('dashboard: customers (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  async function submit(source: string, records: object[]): Promise<void> {
    const token = await dashboard.server.tokenFor('ingest');
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${dashboard.server.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await res.json()) as { batchId?: string; status?: string };
    };
    const { batchId } = await call('POST', '/api/v1/records', { source, records });
    for (let i = 0; i < 300; i++) {
      if ((await call('GET', `/api/v1/batches/${batchId}`)).status === 'completed') return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`batch ${batchId} did not complete`);
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
    const face = (seed: number) => faceDataUrl({ family: 1815, member: 0 }, seed);
    await submit('registry', [
      { ...ada, external_id: 'r-1', face_image: face(1) },
      { ...ada, external_id: 'r-2', face_image: face(2) },
      {
        given_name: 'Anne',
        family_name: 'Lovelace',
        date_of_birth: '1836-09-22',
        national_id: 'GB-1836-0922',
        city: 'London',
        external_id: 'r-3',
      },
    ]);
    await submit('bank', [{ ...ada, external_id: 'b-1', phone: '020 7946 0958' }]);
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('a reviewer finds a customer, opens it and splits a member out with a reason', async () => {
    const db = dashboard.server.nexus.db;
    const golden = await db
      .selectFrom('golden_records')
      .select(['id', 'member_count'])
      .where('status', '=', 'active')
      .orderBy('member_count', 'desc')
      .executeTakeFirstOrThrow();
    expect(golden.member_count).toBe(3);

    const { context, page } = await dashboard.signedIn('reviewer');
    await page.getByRole('link', { name: 'Customers' }).click();
    // A search outside the review queue waits for a reason, which goes into the access record.
    await page.getByRole('searchbox', { name: 'Search customers' }).fill('Lovelace');
    await page.getByText('Searches outside the review queue say why').waitFor();
    await page
      .getByRole('textbox', { name: 'Reason for looking (recorded)' })
      .fill('Ticket 4411: caller asked');
    const results = page.getByRole('table', { name: 'Customers found' });
    await results.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await results.getByRole('link', { name: 'Anne Lovelace' }).waitFor();
    const searches = await db
      .selectFrom('access_records')
      .select(['username', 'reason', 'customer_ids'])
      .where('action', '=', 'customers.search')
      .execute();
    expect(searches.length).toBeGreaterThan(0);
    expect(
      searches.every((s) => s.username === 'reviewer-user' && s.reason === 'Ticket 4411: caller asked'),
    ).toBe(true);
    expect(searches.flatMap((s) => s.customer_ids)).toContain(golden.id);
    await dashboard.screenshot(page, 'customers');

    // Keyboard: the most recently changed customer is first; Enter opens the highlighted one.
    const rows = await results.getByRole('link').allTextContents();
    const searchBox = page.getByRole('searchbox', { name: 'Search customers' });
    for (let i = 0; i < rows.indexOf('Ada Lovelace'); i++) await searchBox.press('ArrowDown');
    await searchBox.press('Enter');
    await page.waitForURL(`**/customers/${golden.id}`);
    const members = page.getByRole('table', { name: 'Members' });
    await members.getByRole('row').nth(3).waitFor();
    const openedWith = () =>
      db
        .selectFrom('access_records')
        .select('reason')
        .where('action', '=', 'customers.get')
        .where('subject_id', '=', golden.id)
        .execute()
        .then((rows) => rows.map((r) => r.reason));
    await expect.poll(openedWith, { timeout: 10_000 }).toContain('Ticket 4411: caller asked');
    expect(await members.getByRole('row').count()).toBe(4);
    expect(await members.getByRole('row').nth(1).textContent()).toContain('primary');
    await page.getByRole('region', { name: 'Biometric references' }).getByRole('img').first().waitFor();
    await page.getByTitle('History updates: live').waitFor();
    await dashboard.screenshot(page, 'customer');

    await page.getByRole('button', { name: 'Split out bank b-1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox').fill('Different person: the bank record belongs to her cousin');
    await dialog.getByRole('button', { name: 'Split out' }).click();
    await page.getByText('bank b-1 was split out').waitFor();
    await expect.poll(() => members.getByRole('row').count()).toBe(3);
    expect(await members.textContent()).not.toContain('b-1');
    const history = page.getByRole('list', { name: 'History' });
    const newest = history.locator('> li').first();
    expect(await newest.textContent()).toContain('Split bank b-1 out into its own customer');
    expect(await newest.textContent()).toContain('reviewer-user');
    expect(await newest.textContent()).toContain('her cousin');
    await dashboard.screenshot(page, 'customer-after-split');

    // The member is a customer of its own now, one click away.
    const split = await db
      .selectFrom('golden_record_members as m')
      .innerJoin('records as r', 'r.id', 'm.record_id')
      .select(['m.golden_id', 'r.status'])
      .where('r.external_id', '=', 'b-1')
      .executeTakeFirstOrThrow();
    expect(split.golden_id).not.toBe(golden.id);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('action', '=', 'golden_record.split')
      .where('entity_id', '=', golden.id)
      .executeTakeFirstOrThrow();
    expect(audit.actor).toBe('reviewer-user');
    expect(audit.after).toMatchObject({ splitInto: split.golden_id, member_count: 2 });
    await page.getByRole('link', { name: `Open customer ${split.golden_id.slice(-8)}` }).click();
    await page.waitForURL(`**/customers/${split.golden_id}`);
    await page.getByRole('heading', { name: 'Ada Lovelace' }).waitFor();
    await page.getByText('Created by splitting bank b-1 out of another customer').waitFor();
    await context.close();
  });
});
