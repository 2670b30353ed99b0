import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { generateSourceRows } from '../../server/src/analytics/analyticsTestData';
import { rollupDays } from '../../server/src/analytics/rollupService';

describe('dashboard: reports (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    await generateSourceRows(tdb.db, {
      records: 1500,
      start: new Date('2026-03-01T00:00:00Z'),
      days: 14,
      seed: 21,
      tag: 'e2e',
    });
    await rollupDays(tdb.db, { zones: ['UTC'], from: '2026-02-28', to: '2026-03-20', trigger: 'command' });
    dashboard = await startDashboard(tdb, { NEXUS_ROLLUP_INTERVAL_SECONDS: '0' });
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('shows the reports of the range in the address, with a table under each chart', async () => {
    const { page } = await dashboard.signedIn('reviewer');
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByRole('heading', { name: 'Reports' }).waitFor();
    // A shared address opens the same range.
    await page.goto(`${dashboard.server.url}/reports?from=2026-03-01&to=2026-03-14`);
    const volume = page.getByRole('table', { name: 'Volume by decision table' });
    await volume.waitFor();
    expect(await volume.locator('tbody tr').count()).toBe(14);
    for (const title of [
      'Duplicate rate by source',
      'Review backlog and time to resolve',
      'Field quality by source',
      'Reviewer throughput',
    ]) {
      await page.getByRole('table', { name: `${title} table` }).waitFor();
    }
    await page.getByLabel('From').fill('2026-03-08');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('from=2026-03-08');
    await expect.poll(() => volume.locator('tbody tr').count(), { timeout: 15_000 }).toBe(7);
    await dashboard.screenshot(page, 'reports');
  });
});
