import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

const GIVEN = ['Ana', 'Bruno', 'Carla', 'Davi', 'Elisa', 'Fábio', 'Gabriela', 'Heitor', 'Iara', 'João'];
const FAMILY = ['Silva', 'Souza', 'Costa', 'Lima', 'Rocha', 'Alves', 'Pereira', 'Gomes', 'Ribeiro'];

const person = (i: number) => ({
  external_id: `ov-${i}`,
  given_name: GIVEN[i % GIVEN.length],
  family_name: FAMILY[Math.floor(i / 3) % FAMILY.length],
  date_of_birth: `19${50 + (i % 45)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
  city: ['Recife', 'Olinda', 'Natal'][i % 3],
  // Every fifth record comes again under another id: linked or sent to review.
  ...(i % 5 === 4 ? { external_id: `ov-${i}-again`, given_name: GIVEN[(i - 1) % GIVEN.length] } : {}),
});

/** The numbers the page shows, read as a user reads them. */
async function figures(page: Page) {
  const decidedInTable = await page
    .getByRole('table', { name: 'Partition actors' })
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.reduce((n, r) => n + Number(r.children[5]!.textContent.replace(/\D/g, '')), 0),
    );
  const note = await page
    .getByRole('region', { name: 'Decided per second' })
    .locator('.stat-note')
    .textContent();
  return { decidedInTable, decidedInHistory: Number((note ?? '').split(' in ')[0]!.replace(/\D/g, '') || 0) };
}

describe('dashboard: the operator overview (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;
  let token: string;
  let next = 0;

  const submit = async (count: number) => {
    const res = await fetch(`${dashboard.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ source: 'e2e', records: Array.from({ length: count }, () => person(next++)) }),
    });
    expect(res.status).toBe(202);
  };

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
    token = await dashboard.server.tokenFor('ingest');
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('moves live as records are decided, lists the partitions, and resumes after the connection drops and after a server restart', async () => {
    const { context, page } = await dashboard.signedIn('operator');
    await page.goto('/overview');
    const rows = page.getByRole('table', { name: 'Partition actors' }).locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual([
      'Running',
      'Running',
      'Running',
      'Running',
    ]);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    // Set on this document only: still there later means the page never reloaded.
    await page.evaluate(() => ((window as unknown as { overviewMark: number }).overviewMark = 1));

    await submit(150);
    await expect.poll(async () => (await figures(page)).decidedInTable, { timeout: 60_000 }).toBe(150);
    await expect.poll(async () => (await figures(page)).decidedInHistory, { timeout: 10_000 }).toBe(150);

    // A few seconds of steady traffic, so the charts have a shape when the screenshot is taken.
    for (let i = 0; i < 5; i++) {
      await submit(60);
      await page.waitForTimeout(900);
    }
    await expect
      .poll(async () => (await figures(page)).decidedInTable, { timeout: 60_000 })
      .toBeGreaterThan(150);
    expect(await page.getByRole('region', { name: 'Tech5' }).textContent()).toContain('Healthy');
    expect(await page.getByRole('region', { name: 'Latency p50 / p95' }).textContent()).toMatch(
      /\d+(\.\d)? m?s \/ \d/,
    );
    await dashboard.screenshot(page, 'overview');
    await expect.poll(async () => (await figures(page)).decidedInTable, { timeout: 60_000 }).toBe(450);
    // The history chart follows the table a moment later: the figure to count from is its settled one.
    await expect.poll(async () => (await figures(page)).decidedInHistory, { timeout: 10_000 }).toBe(450);

    // The network drops: the page says so, reconnects by itself and picks up where it was.
    const before = await figures(page);
    dashboard.server.nexus.http.webSockets.terminateAll();
    await submit(50);
    await expect.poll(async () => (await figures(page)).decidedInTable, { timeout: 60_000 }).toBe(500);
    await expect
      .poll(async () => (await figures(page)).decidedInHistory, { timeout: 10_000 })
      .toBe(before.decidedInHistory + 50);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { overviewMark?: number }).overviewMark)).toBe(1);

    // A reload opens on the recent history, not on empty charts.
    await page.reload();
    await expect.poll(async () => (await figures(page)).decidedInHistory, { timeout: 10_000 }).toBe(500);

    // The server restarts (a deploy): the page waits, reconnects to the new process with its
    // in-memory session and goes on counting, without a reload or a new sign-in.
    await page.evaluate(() => ((window as unknown as { overviewMark: number }).overviewMark = 2));
    await dashboard.restartServer();
    await submit(40);
    await expect.poll(async () => (await figures(page)).decidedInTable, { timeout: 60_000 }).toBe(40);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { overviewMark?: number }).overviewMark)).toBe(2);
    await context.close();
  });
});
