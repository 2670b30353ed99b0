import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { addDays, daysBetween } from './days';
import {
  ROLLUP_STATEMENTS,
  ROLLUP_TABLES,
  rollupWindow,
  type RollupTable,
  type StatementCounts,
} from './rollupStatements';
import { required } from '@nexus/schema';

export type RollupTrigger = 'schedule' | 'command' | 'api';

export interface RollupRequest {
  /** IANA time zones; each gets its own rows (UTC and the configured zone). */
  zones: readonly string[];
  from: string;
  to: string;
  trigger: RollupTrigger;
}

export interface RollupReport {
  zones: string[];
  from: string;
  to: string;
  tables: Record<RollupTable, StatementCounts>;
  rowsWritten: number;
  rowsDeleted: number;
  durationMs: number;
}

/** Days per transaction in a long backfill: short snapshots, and progress a caller can show. */
export const ROLLUP_CHUNK_DAYS = 31;

/** One rollup at a time across every engine: the transaction-scoped advisory lock below. */
const LOCK = sql`hashtext('nexus.analytics.rollup'), 0`;

/**
 * Rolls up every day of [from, to] in each zone (docs/decisions/0030-daily-rollups.md), waiting
 * for another engine's rollup to finish first, and records the run. `onChunk` hears each chunk as
 * it is committed.
 */
export async function rollupDays(
  db: Db,
  request: RollupRequest,
  onChunk: (
    zone: string,
    from: string,
    to: string,
    counts: Record<RollupTable, StatementCounts>,
  ) => void = () => undefined,
): Promise<RollupReport> {
  const report = await runRollup(db, request, 'wait', onChunk);
  // Only 'try' gives up (undefined); a rollup that waits for the lock always reports.
  return required(report, 'rollupDays: the report of a rollup that waited for its lock');
}

/** As rollupDays, but gives up at once (undefined) when another engine holds the rollup lock. */
export function tryRollupDays(db: Db, request: RollupRequest): Promise<RollupReport | undefined> {
  return runRollup(db, request, 'try', () => undefined);
}

async function runRollup(
  db: Db,
  request: RollupRequest,
  mode: 'wait' | 'try',
  onChunk: (zone: string, from: string, to: string, counts: Record<RollupTable, StatementCounts>) => void,
): Promise<RollupReport | undefined> {
  const startedAt = new Date();
  const started = performance.now();
  const zones = [...new Set(request.zones)];
  const tables = Object.fromEntries(ROLLUP_TABLES.map((t) => [t, { written: 0, deleted: 0 }])) as Record<
    RollupTable,
    StatementCounts
  >;
  for (const zone of zones) {
    for (let from = request.from; from <= request.to; from = addDays(from, ROLLUP_CHUNK_DAYS)) {
      const last = addDays(from, ROLLUP_CHUNK_DAYS - 1);
      const to = last < request.to ? last : request.to;
      const counts = await db.transaction().execute(async (trx) => {
        if (mode === 'try') {
          const { rows } = await sql<{
            ok: boolean;
          }>`select pg_try_advisory_xact_lock(${LOCK}) as ok`.execute(trx);
          if (!required(rows[0], 'runRollup: row of pg_try_advisory_xact_lock').ok) return undefined;
        } else {
          await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
        }
        const window = await rollupWindow(trx, zone, from, to);
        const chunk = {} as Record<RollupTable, StatementCounts>;
        for (const table of ROLLUP_TABLES) chunk[table] = await ROLLUP_STATEMENTS[table](trx, window);
        return chunk;
      });
      if (!counts) return undefined;
      for (const table of ROLLUP_TABLES) {
        tables[table].written += counts[table].written;
        tables[table].deleted += counts[table].deleted;
      }
      onChunk(zone, from, to, counts);
    }
  }
  const rowsWritten = ROLLUP_TABLES.reduce((n, t) => n + tables[t].written, 0);
  const rowsDeleted = ROLLUP_TABLES.reduce((n, t) => n + tables[t].deleted, 0);
  const durationMs = Math.round(performance.now() - started);
  await db
    .insertInto('analytics_rollup_runs')
    .values({
      trigger: request.trigger,
      zones,
      from_day: request.from,
      to_day: request.to,
      rows_written: rowsWritten,
      rows_deleted: rowsDeleted,
      started_at: startedAt,
      duration_ms: durationMs,
    })
    .execute();
  return { zones, from: request.from, to: request.to, tables, rowsWritten, rowsDeleted, durationMs };
}

/** The number of days a request covers (both ends included). */
export function rollupDayCount(from: string, to: string): number {
  return daysBetween(from, to) + 1;
}
