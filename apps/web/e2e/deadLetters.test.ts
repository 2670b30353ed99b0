import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../../test/dashboardHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';

async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('dashboard: dead letters (Chromium)', () => {
  let tdb: TestDatabase;
  let dashboard: Dashboard;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    dashboard = await startDashboard(tdb, { NEXUS_MAX_ATTEMPTS: '2' });
  });
  afterAll(async () => {
    await dashboard?.close();
    await tdb?.drop();
  });

  it('replays a dead letter, which is then decided, and discards another with an audited reason', async () => {
    const db = dashboard.server.nexus.db;
    // A real database failure each time a "Poison" record tries to create its golden record.
    await sql`
      create function fail_poison() returns trigger language plpgsql as $$
      begin
        if new.best->>'given_name' = 'Poison' then raise exception 'poison record refused by the database'; end if;
        return new;
      end $$;
      create trigger fail_poison before insert on golden_records for each row execute function fail_poison();
    `.execute(db);
    // The page is open before anything fails: the dead letters have to arrive live.
    const { context, page } = await dashboard.signedIn('operator');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByText('No dead letters: every record was decided').waitFor();
    await page.locator('.live-badge.live-live').waitFor();
    const token = await dashboard.server.tokenFor('ingest');
    const res = await fetch(`${dashboard.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'clinic',
        records: [
          { external_id: 'pill-1', given_name: 'Poison', family_name: 'Pill', date_of_birth: '1970-01-01' },
          { external_id: 'pill-2', given_name: 'Poison', family_name: 'Ivy', date_of_birth: '1971-02-02' },
          { external_id: 'ok-1', given_name: 'Marta', family_name: 'Nunes', date_of_birth: '1980-03-03' },
        ],
      }),
    });
    expect(res.status).toBe(202);
    await until('both poison records are dead-lettered', async () => {
      const letters = await db.selectFrom('dead_letters').select('id').where('status', '=', 'open').execute();
      return letters.length === 2;
    });

    const table = page.getByRole('table', { name: 'Dead letters' });
    const rows = table.locator('tbody tr:not(.dl-record-row)');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(2);
    expect(await table.textContent()).toContain('poison record refused by the database');
    const pill1 = rows.filter({ hasText: 'pill-1' });
    await pill1.getByRole('button', { name: 'Record' }).click();
    await page.locator('.dl-fields').getByText('Pill', { exact: true }).waitFor();
    await dashboard.screenshot(page, 'dead-letters');

    // The cause is fixed; the operator sends the record to be decided again.
    await sql`drop trigger fail_poison on golden_records`.execute(db);
    await page.getByRole('button', { name: 'Replay pill-1' }).click();
    await page.getByText('1 dead letter replayed.').waitFor();
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    await until('the replayed record is decided', async () => {
      const r = await db
        .selectFrom('records')
        .select('status')
        .where('external_id', '=', 'pill-1')
        .executeTakeFirstOrThrow();
      return r.status === 'new';
    });

    await page.getByRole('button', { name: 'Discard pill-2' }).click();
    const dialog = page.getByRole('dialog', { name: 'Discard this dead letter?' });
    const confirm = dialog.getByRole('button', { name: 'Discard' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('Reason (kept in the audit log)').fill('test record sent by mistake');
    await confirm.click();
    await page.getByText('No dead letters: every record was decided').waitFor();

    const audit = await db
      .selectFrom('audit_log')
      .select(['actor', 'after'])
      .where('action', '=', 'dead_letter.discarded')
      .execute();
    expect(audit).toEqual([
      { actor: 'operator-user', after: { status: 'discarded', reason: 'test record sent by mistake' } },
    ]);
    await page.getByRole('button', { name: 'Discarded' }).click();
    await table.getByText('pill-2').waitFor();
    expect(await table.textContent()).toContain('by operator-user');
    await context.close();
  });
});
