import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

const GIVEN = ['Ana', 'Bruno', 'Carla', 'Davi', 'Elisa', 'Fábio', 'Gabriela', 'Heitor', 'Iara', 'João'];
const FAMILY = ['Silva', 'Souza', 'Costa', 'Lima', 'Rocha', 'Alves', 'Pereira', 'Moura', 'Teixeira'];

/** 42 people and 8 of them again under other ids (one with a typo): 50 rows, some decided as links. */
function peopleCsv(): string {
  const rows = ['external_id,given_name,family_name,date_of_birth,city'];
  const person = (i: number) => ({
    given: GIVEN[i % GIVEN.length]!,
    family: `${FAMILY[(i * 7) % FAMILY.length]!}${i >= 20 ? ' Neto' : ''}`,
    dob: `19${50 + ((i * 3) % 45)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i * 5) % 28)).padStart(2, '0')}`,
  });
  for (let i = 0; i < 42; i++) {
    const p = person(i);
    rows.push(`reg-${i},${p.given},${p.family},${p.dob},Recife`);
  }
  for (let i = 0; i < 8; i++) {
    const p = person(i * 5);
    rows.push(`reg-again-${i},${i === 3 ? p.given.toUpperCase() : p.given},${p.family},${p.dob},Recife`);
  }
  return rows.join('\n') + '\n';
}

describe('dashboard: batches (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    // One decider at a time: the progress has steps the page can be seen to follow.
    dashboard = await startDashboard(tdb, { NEXUS_WORKER_CONCURRENCY: '1', NEXUS_BATCH_SIZE: '1' });
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('submits a file, follows it live to the end, shows its records and downloads the results', async () => {
    const { context, page } = await dashboard.signedIn('operator');
    await page.getByRole('link', { name: 'Batches' }).click();
    await page.getByText('No batches yet').waitFor();

    await page.getByRole('button', { name: 'New batch' }).click();
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'north-registry.csv', mimeType: 'text/csv', buffer: Buffer.from(peopleCsv()) });
    await page.getByText('50 records ready').waitFor();
    expect(await page.getByLabel('Source').inputValue()).toBe('north-registry');

    // Every value the progress bar takes from now on, without reloading the page.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('[role="progressbar"][aria-label="Batch progress"]');
        const now = Number(bar?.getAttribute('aria-valuenow') ?? NaN);
        if (bar && seen.at(-1) !== now) seen.push(now);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    await page.getByRole('button', { name: 'Submit 50 records' }).click();
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/);
    const batchId = page.url().split('/').at(-1)!;
    await page.getByText('Batch submitted:').waitFor();
    await page.locator('.batch-facts').getByText('Completed').waitFor({ timeout: 60_000 });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    expect(seen.at(-1)).toBe(50);
    expect(seen.length, `progress seen: ${seen.join(', ')}`).toBeGreaterThan(2);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));

    const strip = page.getByRole('list', { name: 'Records by decision' });
    const count = async (decision: string) =>
      Number((await strip.locator(`[data-decision="${decision}"]`).textContent())!.replace(/\D/g, ''));
    const linked = await count('linked');
    const decided = (await count('new')) + linked + (await count('review')) + (await count('rejected'));
    expect(decided).toBe(50);
    expect(linked + (await count('review'))).toBeGreaterThan(0);
    const rows = page.getByRole('table', { name: 'Records of the batch' }).locator('tbody tr');
    expect(await rows.count()).toBe(50);
    await page.getByRole('button', { name: /^Linked/ }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(linked);
    await page.getByRole('button', { name: /^All/ }).click();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(50);
    await dashboard.screenshot(page, 'batch-detail');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download results (CSV)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`batch-${batchId}-results.csv`);
    const csv = fs
      .readFileSync(await download.path(), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('external_id,name,decision,customer_id,review_case_id,rule,decided_at,problem');
    expect(csv).toHaveLength(51);
    expect(csv.filter((l) => l.includes(',linked,'))).toHaveLength(linked);
    expect(csv.find((l) => l.startsWith('reg-0,'))).toMatch(/^reg-0,Ana Silva,(new|linked|review),/);

    // A second batch from someone else appears in the list on its own, and moves there.
    // Signed in as the operator the harness created (tokenFor would create a second ingest user).
    const { accessToken: token } = await dashboard.server.login('operator-user', 'operator-password-1');
    await page.getByRole('link', { name: 'Batches' }).click();
    const list = page.getByRole('table', { name: 'Batches' });
    await list.getByRole('link', { name: 'north-registry' }).waitFor();
    const res = await fetch(`${dashboard.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'bank-onboarding',
        records: Array.from({ length: 40 }, (_, i) => ({
          external_id: `b-${i}`,
          given_name: GIVEN[i % 10],
          family_name: FAMILY[i % 9],
          date_of_birth: `1990-01-${String(1 + (i % 28)).padStart(2, '0')}`,
        })),
      }),
    });
    expect(res.status).toBe(202);
    const second = list.locator('tbody tr').first();
    await second.getByRole('link', { name: 'bank-onboarding' }).waitFor();
    await second.getByText('40 / 40').waitFor({ timeout: 60_000 });
    await second.getByText('Completed').waitFor();
    expect(await second.textContent()).toContain('operator-user');
    await dashboard.screenshot(page, 'batches');
    await context.close();
  });

  it('shows the ingest role no retry, and says what was wrong with a file', async () => {
    const { context, page } = await dashboard.signedIn('ingest');
    await page.goto('/batches');
    await page.getByRole('button', { name: 'New batch' }).click();
    await page.getByLabel('File').setInputFiles({
      name: 'empty.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('external_id,given_name\n'),
    });
    await expect
      .poll(() => page.getByRole('alert').textContent(), { timeout: 15_000 })
      .toContain('empty.csv: has a header line but no rows');
    // An ingest account sees only its own batches: the operator's batch is not listed.
    const batches = page.getByRole('table', { name: 'Batches' });
    expect(await batches.getByRole('link', { name: 'north-registry' }).count()).toBe(0);
    await page
      .getByLabel('File')
      .setInputFiles({ name: 'south-registry.csv', mimeType: 'text/csv', buffer: Buffer.from(peopleCsv()) });
    await page.getByRole('button', { name: 'Submit 50 records' }).click();
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Download results (CSV)' }).waitFor();
    expect(await page.getByRole('button', { name: /Retry failed/ }).count()).toBe(0);
    await context.close();
  });
});
