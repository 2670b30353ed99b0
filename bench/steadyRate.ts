// Latency at a steady rate below the maximum (issue 13: received -> decided p95 <= 100 ms at half
// the maximum rate). A backlog run measures queueing; this submits at a fixed pace, so the
// latency is what one record waits when the engine keeps up.
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { ActorSupervisor, Db, DeliveryTiming, RecordOutcome } from '@nexus/actors';
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
  /** Where received -> decided went, stage by stage (empty when no supervisor was watched). */
  stages: StageLatency[];
}

/** One leg of received -> decided over the steady records, ms. */
export interface StageLatency {
  stage: string;
  p50: number;
  p95: number;
}

/**
 * The legs, in the order a record passes them: relay (received -> relayed, the outbox relay's
 * wait and read), bus (relayed -> in the actor's mailbox: publish, notify, fetch), mailbox (in
 * the mailbox -> its task handed to the worker pool), task (handed over -> decided_at: pool
 * queue, thread hop, the decision); then, inside the task, the worker's own time for the record
 * and its pipeline stages (stage clock).
 */
const LEGS = ['relay', 'bus', 'mailbox', 'task'] as const;

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
  supervisor?: ActorSupervisor,
): Promise<SteadyResult> {
  const delivered = new Map<string, { outcome: RecordOutcome; timing: DeliveryTiming }>();
  const watch = (_p: number, outcome: RecordOutcome, timing: DeliveryTiming) => {
    if (outcome.result === 'decided' && !outcome.replayed)
      delivered.set(outcome.recordId, { outcome, timing });
  };
  supervisor?.on('outcome', watch);
  try {
    return await submitAndMeasure(db, records, perSecond, send, delivered);
  } finally {
    supervisor?.off('outcome', watch);
  }
}

async function submitAndMeasure<T>(
  db: Db,
  records: readonly T[],
  perSecond: number,
  send: (slice: T[]) => Promise<void>,
  delivered: Map<string, { outcome: RecordOutcome; timing: DeliveryTiming }>,
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
  const { rows } = await sql<{
    id: string;
    ms: number;
    received: number;
    relayed: number | null;
    decided: number;
  }>`
    select id, extract(epoch from (decided_at - received_at)) * 1000 as ms,
      extract(epoch from received_at) * 1000 as received, extract(epoch from relayed_at) * 1000 as relayed,
      extract(epoch from decided_at) * 1000 as decided
    from records where source = ${STEADY_SOURCE} order by 2`.execute(db);
  const ms = rows.map((r) => Number(r.ms));
  const legs = new Map<string, number[]>();
  const add = (stage: string, value: number) => legs.set(stage, [...(legs.get(stage) ?? []), value]);
  // A micro-batch charges each record its share of the batch's stage times (they add up over
  // records); a record waits for the whole batch, so the shares are scaled back by the batch's
  // size: the records of one task answered with the same worker time.
  const runSize = new Map<string, number>();
  const runOf = (d: { outcome: RecordOutcome; timing: DeliveryTiming }) =>
    `${d.timing.dispatchedAt}:${d.outcome.result === 'decided' ? d.outcome.ms : ''}`;
  for (const d of delivered.values()) runSize.set(runOf(d), (runSize.get(runOf(d)) ?? 0) + 1);
  for (const r of rows) {
    const d = delivered.get(r.id);
    if (!d || d.outcome.result !== 'decided') continue;
    const { timing, outcome } = d;
    const relayed = r.relayed === null ? Number(r.received) : Number(r.relayed);
    if (r.relayed !== null) add('relay', relayed - Number(r.received));
    add('bus', timing.fetchedAt - relayed);
    add('mailbox', timing.dispatchedAt - timing.fetchedAt);
    add('task', Number(r.decided) - timing.dispatchedAt);
    const size = runSize.get(runOf(d)) ?? 1;
    add('worker', outcome.ms);
    add('records per run', size);
    for (const [stage, t] of Object.entries(outcome.stages ?? {})) add(stage, t * size);
  }
  const stages = [
    ...LEGS.filter((l) => legs.has(l)),
    ...[...legs.keys()].filter((k) => !LEGS.includes(k as never)),
  ].map((stage) => {
    const sorted = (legs.get(stage) ?? []).sort((a, b) => a - b);
    return { stage, p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
  });
  return {
    stages,
    perSecond,
    records: records.length,
    late: Math.max(0, late),
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    p99: percentile(ms, 99),
  };
}

export function steadyLine(r: SteadyResult): string {
  const line = `${r.records} records at ${r.perSecond.toFixed(1)}/s: received -> decided p50 ${r.p50.toFixed(0)} ms, p95 ${r.p95.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms`;
  return r.stages.length === 0 ? line : `${line}\n    by stage p50/p95 ms: ${stageBreakdown(r)}`;
}

/** "relay 3/9, bus 12/40, ...": where received -> decided went (see LEGS). */
export function stageBreakdown(r: SteadyResult): string {
  return r.stages.map((s) => `${s.stage} ${s.p50.toFixed(0)}/${s.p95.toFixed(0)}`).join(', ');
}
