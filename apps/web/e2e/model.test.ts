import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { pendingCount, waitUntil } from '../../../test/engineHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { generatePopulation } from '../../server/src/generate/syntheticPeople';
import { submitBatch } from '../../server/src/ingest/submitBatch';

describe('dashboard: the matching model (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb);
    const nexus = dashboard.server.nexus;
    const people = generatePopulation({ people: 120, dupRate: 0.5, seed: 7, prefix: 'e' });
    await submitBatch(tdb.db, nexus.engine.bus.partitions, {
      source: 'e2e',
      records: people.map((p) => p.record),
    });
    nexus.engine.relay.kick();
    await waitUntil('the register is decided', async () => (await pendingCount(tdb.db)) === 0, 120_000);
  }, 180_000);
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('an operator sees the versions but cannot retrain; an admin retrains and sees the verdict and figures', async () => {
    const operator = await dashboard.signedIn('operator');
    await operator.page.getByRole('link', { name: 'Model' }).click();
    const table = operator.page.getByRole('table', { name: 'Model versions' });
    const defaults = table.getByRole('row').filter({ hasText: 'shipped defaults' });
    await defaults.waitFor();
    expect(await defaults.textContent()).toContain('active');
    expect(await operator.page.getByRole('button', { name: 'Retrain now' }).count()).toBe(0);
    await operator.context.close();

    const { context, page } = await dashboard.signedIn('admin');
    await page.getByRole('link', { name: 'Model' }).click();
    await page.getByRole('button', { name: 'Retrain now' }).click();
    const verdict = page.getByRole('status').filter({ hasText: /^Version \d+ (is now active|was rejected)/ });
    await verdict.waitFor({ timeout: 60_000 });
    const row = page
      .getByRole('table', { name: 'Model versions' })
      .getByRole('row')
      .filter({ hasText: 'on demand' });
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/retrained-\d{8}-\d{6}/);
    expect(text).toMatch(/\d+ \(\d+ reviewer verdicts\)/);
    expect(text).toMatch(/\(active \d+\)/);
    const stored = await tdb.db
      .selectFrom('model_versions')
      .select(['id', 'active', 'verdict'])
      .where('trigger', '=', 'on_demand')
      .executeTakeFirstOrThrow();
    expect(text).toContain(stored.active ? 'active' : 'rejected');
    expect(await verdict.textContent()).toContain(`Version ${stored.id}`);
    await dashboard.screenshot(page, 'model');
    await context.close();
  }, 120_000);
});
