import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { generateSourceRows } from './analyticsTestData';
import { RollupSchedule } from './rollupSchedule';

describe('the rollup schedule', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
    await generateSourceRows(tdb.db, {
      records: 200,
      start: new Date('2026-05-09T20:00:00Z'),
      days: 2,
      seed: 5,
      tag: 'sched',
    });
  });
  afterAll(async () => tdb.drop());

  const schedule = () =>
    new RollupSchedule(
      tdb.db,
      { zones: ['UTC'], intervalSeconds: 60, lateDays: 2 },
      pino({ level: 'silent' }),
    );

  it('rolls up the late days on the first tick of a day, then only the current day', async () => {
    const s = schedule();
    const first = await s.tick(new Date('2026-05-11T00:00:30Z'));
    const second = await s.tick(new Date('2026-05-11T00:01:30Z'));
    const nextDay = await s.tick(new Date('2026-05-12T00:00:30Z'));
    const ranges = [first, second, nextDay].map((o) =>
      o.kind === 'rolled_up' ? o.reports.map((r) => `${r.from}..${r.to}`) : o.kind,
    );
    expect(ranges).toEqual([
      ['2026-05-09..2026-05-11'],
      ['2026-05-11..2026-05-11'],
      ['2026-05-10..2026-05-12'],
    ]);
    const days = await tdb.db
      .selectFrom('analytics_daily')
      .select((eb) => eb.cast<string>('day', 'text').as('day'))
      .distinct()
      .orderBy('day')
      .execute();
    // Cases resolved on the 12th (after the records) count there.
    expect(days.map((d) => d.day)).toEqual(['2026-05-09', '2026-05-10', '2026-05-11', '2026-05-12']);
    const runs = await tdb.db.selectFrom('analytics_rollup_runs').select('trigger').execute();
    expect(runs.map((r) => r.trigger)).toEqual(['schedule', 'schedule', 'schedule']);
  });

  it('skips the tick while another engine holds the rollup lock', async () => {
    const other = new pg.Client({ connectionString: tdb.url });
    await other.connect();
    try {
      await other.query(`select pg_advisory_lock(hashtext('nexus.analytics.rollup'), 0)`);
      expect(await schedule().tick(new Date('2026-05-11T12:00:00Z'))).toEqual({
        kind: 'skipped',
        reason: 'another engine holds the rollup lock',
      });
      await other.query(`select pg_advisory_unlock(hashtext('nexus.analytics.rollup'), 0)`);
      expect((await schedule().tick(new Date('2026-05-11T12:00:00Z'))).kind).toBe('rolled_up');
    } finally {
      await other.end();
    }
  });
});
