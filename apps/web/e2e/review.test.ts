import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

/**
 * Two people on file, then two records that agree on name and date of birth but on nothing
 * else: each lands between the review and link thresholds, a possible match for a reviewer.
 */
const people = [
  {
    external_id: 'maria-1',
    given_name: 'Maria',
    family_name: 'Oliveira',
    date_of_birth: '1985-03-12',
    gender: 'f',
    phone: '+351912345678',
    email: 'maria.oliveira@example.org',
    street_number: '12',
    street: 'Rua das Flores',
    city: 'Lisboa',
    postcode: '1100-001',
  },
  {
    external_id: 'joao-1',
    given_name: 'Joao',
    family_name: 'Ferreira',
    date_of_birth: '1972-07-01',
    gender: 'm',
    phone: '+351934567890',
    email: 'joao.ferreira@example.org',
    street_number: '40',
    street: 'Avenida da Liberdade',
    city: 'Porto',
    postcode: '4000-100',
  },
];
const doubtful = [
  {
    external_id: 'maria-2',
    given_name: 'Maria',
    family_name: 'Oliveira',
    date_of_birth: '1985-03-12',
    gender: 'm',
    phone: '+351900000001',
    email: 'm.oliveira@example.net',
    street: 'Rua Nova',
    city: 'Porto',
    postcode: '4000-001',
  },
  {
    external_id: 'joao-2',
    given_name: 'Joao',
    family_name: 'Ferreira',
    date_of_birth: '1972-07-01',
    gender: 'f',
    phone: '+351911111111',
    email: 'jferreira@example.net',
    street: 'Rua do Sol',
    city: 'Faro',
    postcode: '8000-200',
  },
];

describe('dashboard: reviewer workspace (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  async function submit(records: object[]): Promise<Record<string, number>> {
    const token = await dashboard.server.tokenFor('ingest');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const res = await fetch(`${dashboard.server.url}/api/v1/records`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ source: 'crm', records }),
    });
    expect(res.status).toBe(202);
    const { batchId } = (await res.json()) as { batchId: string };
    for (let i = 0; i < 300; i++) {
      const batch = (await (
        await fetch(`${dashboard.server.url}/api/v1/batches/${batchId}`, { headers })
      ).json()) as {
        status: string;
        counts: Record<string, number>;
      };
      if (batch.status === 'completed') return batch.counts;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`batch ${batchId} did not complete`);
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('resolves two review cases with the keyboard only, one after the other', async () => {
    expect(await submit(people)).toMatchObject({ new: 2 });
    expect(await submit(doubtful)).toMatchObject({ review: 2 });
    const db = dashboard.server.nexus.db;
    const caseOf = async (caseId: string) =>
      db
        .selectFrom('review_cases as c')
        .innerJoin('records as r', 'r.id', 'c.record_id')
        .select([
          'c.id',
          'c.status',
          'c.resolution',
          'c.reason',
          'r.id as record_id',
          'r.external_id',
          'r.status as record_status',
        ])
        .where('c.id', '=', caseId)
        .executeTakeFirstOrThrow();

    const { context, page } = await dashboard.signedIn('reviewer');
    await page.goto('/review');
    const rows = page.locator('.queue-row');
    await expect.poll(() => rows.count()).toBe(2);
    await page.getByTitle('Live updates: open').waitFor();
    await dashboard.screenshot(page, 'review-queue');

    // The keyboard from here on: focus the first case, open it, decide, type the reason, confirm.
    await page.locator('a.case-link').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/review\/[0-9a-f-]{36}$/);
    await page.getByRole('figure', { name: 'Why the engine was unsure' }).waitFor();
    await page.locator('.face-score, .comparison').first().waitFor();
    await expect.poll(() => page.getByText(/claimed by reviewer-user/).count()).toBe(1);
    await dashboard.screenshot(page, 'review-case');
    const firstId = page.url().split('/').pop()!;
    const first = await caseOf(firstId);
    expect(first.status).toBe('claimed');

    await page.keyboard.press('1');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.type('Same name and date of birth; moved house');
    await page.keyboard.press('Enter');
    await page.waitForURL(
      (url) => /\/review\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(firstId),
    );
    await page.getByText(/Linked .* to candidate A/).waitFor();
    const secondId = page.url().split('/').pop()!;
    await page.getByRole('figure', { name: 'Why the engine was unsure' }).waitFor();
    await expect.poll(() => page.getByText(/claimed by reviewer-user/).count()).toBe(1);

    await page.keyboard.press('n');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.type('Different gender, phone and address');
    await page.keyboard.press('Enter');
    await page.waitForURL((url) => url.pathname === '/review');
    await page.getByText(/is a new person/).waitFor();
    await page.getByText('Nothing to review').waitFor();

    const linked = await caseOf(firstId);
    expect(linked).toMatchObject({ status: 'resolved', resolution: 'same_as', record_status: 'linked' });
    expect(linked.reason).toBe('Same name and date of birth; moved house');
    const fresh = await caseOf(secondId);
    expect(fresh).toMatchObject({ status: 'resolved', resolution: 'new_person', record_status: 'new' });
    // The linked record joined the golden record of the person it was compared with.
    const goldenOf = async (externalId: string) =>
      (
        await db
          .selectFrom('golden_record_members as m')
          .innerJoin('records as r', 'r.id', 'm.record_id')
          .select('m.golden_id')
          .where('r.external_id', '=', externalId)
          .executeTakeFirstOrThrow()
      ).golden_id;
    const original = first.external_id.replace('-2', '-1');
    expect(await goldenOf(first.external_id)).toBe(await goldenOf(original));
    const other = fresh.external_id.replace('-2', '-1');
    expect(await goldenOf(fresh.external_id)).not.toBe(await goldenOf(other));
    await context.close();
  });
});
