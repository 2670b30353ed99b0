// Latency at a steady rate below the maximum (issue 13: received -> decided p95 <= 100 ms at half
// the maximum rate). A backlog run measures queueing; this submits at a fixed pace, so the
// latency is what one record waits when the engine keeps up.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import { onlyRow } from './benchDatabase';
import { percentile } from './stats';

/** Submissions are sent every tick, as many as the clock says are due. */
const TICK_MS = 100;
export const STEADY_SOURCE = 'steady';

export interface SteadyResult {
  perSecond: number;
  records: number;
  /** How far the submissions fell behind the pace (the sender could not keep it), seconds. */
  late: number;
  p50: number;
  p95: number;
  p99: number;
}

/** People unseen by the maximum-rate run (another seed and prefix), 20% duplicates. */
export function steadyRecords(count: number) {
  return generatePopulation({ people: Math.ceil(count / 1.2), dupRate: 0.2, seed: 4242, prefix: 'steady' })
    .slice(0, count)
    .map((p) => p.record);
}

/**
 * Sends `records` at `perSecond` (each tick what is due by the clock, so a slow send is caught up
 * rather than slowing the pace), waits until all are decided, and reads received -> decided of
 * these records from the records table.
 */
export async function submitAtSteadyRate<T>(
  db: Db,
  records: readonly T[],
  perSecond: number,
  send: (slice: T[]) => Promise<void>,
): Promise<SteadyResult> {
  const started = performance.now();
  let sent = 0;
  while (sent < records.length) {
    const due = Math.min(records.length, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
    if (due > sent) {
      await send(records.slice(sent, due));
      sent = due;
    }
    await sleep(TICK_MS);
  }
  const late = (performance.now() - started) / 1000 - records.length / perSecond;
  for (;;) {
    const { rows } = await sql<{ n: string }>`
      select count(*) as n from records
      where source = ${STEADY_SOURCE} and status not in ('received', 'relayed')`.execute(db);
    if (Number(onlyRow({ rows }, 'records decided').n) >= records.length) break;
    await sleep(200);
  }
  const { rows } = await sql<{ ms: number }>`
    select extract(epoch from (decided_at - received_at)) * 1000 as ms from records
    where source = ${STEADY_SOURCE} order by 1`.execute(db);
  const ms = rows.map((r) => Number(r.ms));
  return {
    perSecond,
    records: records.length,
    late: Math.max(0, late),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
  };
}

export function steadyLine(r: SteadyResult): string {
  return `${r.records} records at ${r.perSecond.toFixed(1)}/s: received -> decided p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`;
}
