import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { generateSourceRows } from './analyticsTestData';
import { directFigures, rolledUpFigures, rounded } from './directFigures';
import { rollupDays } from './rollupService';
import { ROLLUP_STATEMENTS, ROLLUP_TABLES, rollupWindow } from './rollupStatements';

const ZONES = ['UTC', 'Asia/Kolkata'];
const FROM = '2026-03-01';
const TO = '2026-03-08';

describe('daily rollups', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    await generateSourceRows(tdb.db, {
      records: 900,
      start: new Date('2026-03-02T00:00:00Z'),
      days: 5,
      seed: 7,
      tag: 'first',
    });
  });
  afterAll(async () => tdb.drop());

  const expectEqualToDirect = async () => {
    for (const zone of ZONES) {
      const got = rounded(await rolledUpFigures(tdb.db, zone));
      const want = rounded(await directFigures(tdb.db, zone, FROM, TO));
      expect(Object.keys(got.daily).length).toBeGreaterThan(10);
      expect(got).toEqual(want);
    }
  };

  it('equal what a direct count of records, review cases, dead letters and the audit log says, per time zone', async () => {
    const report = await rollupDays(tdb.db, { zones: ZONES, from: FROM, to: TO, trigger: 'command' });
    expect(report.rowsWritten).toBeGreaterThan(0);
    await expectEqualToDirect();
  });

  it('give the same rows when run again, and write nothing the second time', async () => {
    const snapshot = async () =>
      tdb.db
        .selectFrom('analytics_daily')
        .selectAll()
        .orderBy('zone')
        .orderBy('day')
        .orderBy('source')
        .execute();
    const before = await snapshot();
    const again = await rollupDays(tdb.db, { zones: ZONES, from: FROM, to: TO, trigger: 'command' });
    const third = await rollupDays(tdb.db, { zones: ZONES, from: FROM, to: TO, trigger: 'command' });
    expect([again.rowsWritten, again.rowsDeleted, third.rowsWritten, third.rowsDeleted]).toEqual([
      0, 0, 0, 0,
    ]);
    expect(await snapshot()).toEqual(before);
    await expectEqualToDirect();
  });

  it('pick up late records and changed decisions when the recent days are rolled up again', async () => {
    // Late arrivals across the last days, and a day's rejections turned into links after review.
    await generateSourceRows(tdb.db, {
      records: 200,
      start: new Date('2026-03-05T12:00:00Z'),
      days: 2,
      seed: 11,
      tag: 'late',
    });
    const { numUpdatedRows } = await tdb.db
      .updateTable('records')
      .set({ status: 'linked', decision_rule: null })
      .where('status', '=', 'rejected')
      .where('decision_rule', '=', 'invalid_record')
      .executeTakeFirst();
    expect(Number(numUpdatedRows)).toBeGreaterThan(0);
    const report = await rollupDays(tdb.db, { zones: ZONES, from: FROM, to: TO, trigger: 'schedule' });
    expect(report.rowsWritten).toBeGreaterThan(0);
    expect(report.tables.analytics_daily_rejections.deleted).toBeGreaterThan(0);
    await expectEqualToDirect();
    const repeat = await rollupDays(tdb.db, { zones: ZONES, from: FROM, to: TO, trigger: 'schedule' });
    expect(repeat.rowsWritten + repeat.rowsDeleted).toBe(0);
  });

  it('records every run: when, range, rows and duration', async () => {
    const runs = await tdb.db.selectFrom('analytics_rollup_runs').selectAll().orderBy('id').execute();
    expect(runs.length).toBe(5);
    expect(runs[0]).toMatchObject({ trigger: 'command', zones: ZONES });
    expect(runs.every((r) => r.duration_ms >= 0 && r.started_at instanceof Date)).toBe(true);
  });

  it('hold only share locks on the tables the engine writes while they run', async () => {
    const watcher = new pg.Client({ connectionString: tdb.url });
    await watcher.connect();
    try {
      await tdb.db.transaction().execute(async (trx) => {
        const window = await rollupWindow(trx, 'UTC', FROM, TO);
        for (const table of ROLLUP_TABLES) await ROLLUP_STATEMENTS[table](trx, window);
        const { rows: me } = await pg_backend(trx);
        const { rows } = await watcher.query<{ relname: string; mode: string }>(
          `select c.relname, l.mode from pg_locks l join pg_class c on c.oid = l.relation
           where l.pid = $1 and c.relname in ('records', 'review_cases', 'dead_letters', 'audit_log', 'golden_records')`,
          [me[0]!.pid],
        );
        expect(rows.length).toBeGreaterThan(0);
        expect([...new Set(rows.map((r) => r.mode))]).toEqual(['AccessShareLock']);
        // And the engine's kind of write goes through while the rollup's transaction is open.
        await watcher.query(
          `update records set partition = partition where id = (select id from records limit 1)`,
        );
      });
    } finally {
      await watcher.end();
    }
  });
});

async function pg_backend(trx: Parameters<(typeof ROLLUP_STATEMENTS)['analytics_daily']>[0]) {
  const { sql } = await import('kysely');
  return sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
}
