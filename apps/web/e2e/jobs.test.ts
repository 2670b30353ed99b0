import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peopleCsv, startFileServer, type TestFileServer } from '../../server/src/jobs/testSources';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

describe('dashboard: sources and jobs (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;
  let files: TestFileServer;
  // Line 13 has two fields where the header has four: the job rejects it by line and goes on.
  const csv = peopleCsv(24).replace(/\np12,[^\n]*/, '\np12,only two');

  beforeAll(async () => {
    files = await startFileServer((_req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(csv));
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb, { NEXUS_SOURCE_URL_HOSTS: '127.0.0.1' });
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
    await files?.close();
  });

  it('an operator saves a URL source, tests it, runs it and follows the job to its end', async () => {
    const { context, page } = await dashboard.signedIn('operator');
    await page.getByRole('link', { name: 'Sources' }).click();
    await page.getByText('No sources').waitFor();
    const form = page.getByRole('form', { name: 'New source' });
    await form.getByLabel('Name', { exact: true }).fill('register');
    await form.getByLabel('URL', { exact: true }).fill(`${files.url}/people.csv`);
    await form.getByLabel('Bearer token').fill('tok-never-shown');
    await form.getByLabel('Column map').fill('rec_id=external_id');
    await form.getByRole('button', { name: 'Test the connection' }).click();
    const preview = page.getByRole('region', { name: 'Connection test' });
    await preview.getByText(/Matched on: external_id, given_name, family_name, date_of_birth/).waitFor();
    expect(await preview.getByRole('row').count()).toBe(6);
    expect(await preview.getByRole('table', { name: 'First rows' }).textContent()).toContain('Given3');
    await form.getByRole('button', { name: 'Save source' }).click();
    const row = page.getByRole('table', { name: 'Sources' }).getByRole('row').filter({ hasText: 'register' });
    await row.waitFor();
    expect(await row.textContent()).toContain('bearerToken (saved)');
    expect(await page.content()).not.toContain('tok-never-shown');
    await dashboard.screenshot(page, 'sources');

    await row.getByRole('button', { name: 'Run now' }).click();
    await page.getByTestId('job-status').getByText('completed').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('count-read').textContent()).toBe('24');
    expect(await page.getByTestId('count-accepted').textContent()).toBe('23');
    expect(await page.getByTestId('count-rejected').textContent()).toBe('1');
    expect(await page.getByTestId('count-pending').textContent()).toBe('0');
    const rejected = page.getByRole('table', { name: 'Rejected rows' });
    await rejected.getByText(/2 fields where the header has 4/).waitFor();
    expect(await rejected.getByRole('row').nth(1).textContent()).toMatch(/^13/);
    await dashboard.screenshot(page, 'job-detail');

    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByLabel('Status').selectOption('completed');
    await page.getByRole('table', { name: 'Jobs' }).getByRole('link', { name: 'register' }).waitFor();
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No failed jobs').waitFor();
    await context.close();
  }, 180_000);
});
