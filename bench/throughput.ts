// npm run bench:throughput [-- --records=N] (with --faces: bench/throughputFaces.ts) — generated people (20% duplicates) through the full
// pipeline on the embedded defaults: records/s, decision latency, peak memory. Then the same
// records again on a fresh database with every record in its own transaction (the path before
// the micro-batch transactions, docs/decisions/0046-batched-decision-path.md), same run. After each
// backlog run, the same engine takes new records at half the rate it just reached, at a steady
// pace, for received -> decided latency when it keeps up (--steady-seconds=N, 0 to skip).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { createDb, migrateToLatest } from '@nexus/actors';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { startEngine } from '../apps/server/src/engine/engine';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import { submitBatch } from '../apps/server/src/ingest/submitBatch';
import { numberArg } from './args';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';
import { percentile } from './stats';
import {
  STEADY_SOURCE,
  steadyLine,
  stageBreakdown,
  steadyRecords,
  submitAtSteadyRate,
  type SteadyResult,
} from './steadyRate';

const target = numberArg('records', 100_000);
const steadySeconds = numberArg('steady-seconds', 60);
/** --steady-rate=R: the steady phase at R records/s instead of half the backlog's rate. */
const steadyRate = numberArg('steady-rate', 0);
/** --batched-only: skip the one-transaction-per-record run (and leave docs/benchmarks.md alone). */
const batchedOnly = process.argv.includes('--batched-only');
/** Records generated at a time (a larger input is several chunks of other people). */
const POPULATION_CHUNK = 20_000;

interface Run {
  population: number;
  byStatus: Record<string, number>;
  seconds: number;
  submitted: number;
  processing: number[];
  /** received -> decided over the backlog's records, ms. */
  e2eMs: { p50: number; p95: number };
  peakRss: number;
  stages: Record<string, number>;
  steady: SteadyResult | undefined;
}

async function run(batchDecisions: boolean): Promise<Run> {
  const config = loadConfig({});
  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-tp-')),
    persistent: false,
  });
  const db = createDb(server.url, { maxConnections: 10 });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  try {
    await migrateToLatest(db);
    const engine = await startEngine(config, db, server.url, { batchDecisions });
    const processing: number[] = [];
    const stages: Record<string, number> = {};
    let steadyPhase = false;
    engine.supervisor.on('outcome', (_p, o) => {
      if (steadyPhase || o.result !== 'decided' || o.replayed) return;
      processing.push(o.ms);
      for (const [stage, ms] of Object.entries(o.stages ?? {})) stages[stage] = (stages[stage] ?? 0) + ms;
    });
    const started = performance.now();
    let submittedRecords = 0;
    // Generated a chunk at a time (duplicates fall within a chunk), so the benchmark holds one
    // chunk, not the whole input: peak RSS is the engine's at any size, e.g. --records=1000000.
    for (let chunk = 0; submittedRecords < target; chunk++) {
      const people = generatePopulation({
        people: Math.round(POPULATION_CHUNK / 1.2), // ~1.2 records per person at 20% duplicates
        dupRate: 0.2,
        seed: 2026 + chunk,
        prefix: chunk === 0 ? 'g' : `g${chunk}-`,
      }).slice(0, target - submittedRecords);
      for (let i = 0; i < people.length; i += 1000) {
        await submitBatch(db, config.NEXUS_PARTITIONS, {
          source: 'bench',
          records: people.slice(i, i + 1000).map((p) => p.record),
        });
        engine.relay.kick();
      }
      submittedRecords += people.length;
    }
    const population = { length: submittedRecords };
    const submitted = (performance.now() - started) / 1000;
    let last = 0;
    for (;;) {
      const { n } = await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', 'in', ['received', 'relayed'])
        .executeTakeFirstOrThrow();
      if (Number(n) === 0) break;
      if (Date.now() - last > 10_000) {
        last = Date.now();
        console.log(
          `pending ${n} after ${((performance.now() - started) / 1000).toFixed(0)} s, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    // Half the rate just reached, in batches as small as the pace makes them.
    const halfRate = steadyRate > 0 ? steadyRate : population.length / seconds / 2;
    steadyPhase = true;
    const steady =
      steadySeconds > 0
        ? await submitAtSteadyRate(
            db,
            steadyRecords(Math.max(1, Math.round(halfRate * steadySeconds))),
            halfRate,
            async (records) => {
              await submitBatch(db, config.NEXUS_PARTITIONS, { source: STEADY_SOURCE, records });
              engine.relay.kick();
            },
            engine.supervisor,
          )
        : undefined;
    if (steady) console.log(`  steady at half the rate: ${steadyLine(steady)}`);
    await engine.stop();
    // Percentiles in the database: a million latencies read back would weigh on the peak RSS.
    const e2e = await sql<{ p50: number; p95: number }>`
      select extract(epoch from percentile_disc(0.5) within group (order by decided_at - received_at)) * 1000 as p50,
        extract(epoch from percentile_disc(0.95) within group (order by decided_at - received_at)) * 1000 as p95
      from records where source = 'bench'`.execute(db);
    const counts = await db
      .selectFrom('records')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('source', '=', 'bench')
      .groupBy('status')
      .execute();
    processing.sort((a, b) => a - b);
    return {
      population: population.length,
      byStatus: Object.fromEntries(counts.map((c) => [c.status, Number(c.n)])),
      seconds,
      submitted,
      processing,
      e2eMs: { p50: Number(e2e.rows[0]?.p50 ?? 0), p95: Number(e2e.rows[0]?.p95 ?? 0) },
      peakRss,
      stages: Object.fromEntries(Object.entries(stages).map(([k, ms]) => [k, ms / population.length])),
      steady,
    };
  } finally {
    clearInterval(sampler);
    await db.destroy();
    await server.stop();
  }
}

function describe(r: Run) {
  const perSecond = r.population / r.seconds;
  const stageLine = Object.entries(r.stages)
    .map(([k, ms]) => `${k} ${ms.toFixed(2)}`)
    .join(', ');
  return {
    perSecond,
    stageLine,
    latency: `${percentile(r.processing, 50).toFixed(1)} ms / ${percentile(r.processing, 95).toFixed(1)} ms`,
    e2e: `${(r.e2eMs.p50 / 1000).toFixed(1)} s / ${(r.e2eMs.p95 / 1000).toFixed(1)} s`,
    rss: `${(r.peakRss / 2 ** 20).toFixed(0)} MiB`,
    steady: r.steady
      ? `${r.steady.p50.toFixed(0)} ms / **${r.steady.p95.toFixed(0)} ms** / ${r.steady.p99.toFixed(0)} ms (${r.steady.records.toLocaleString('en')} records at ${r.steady.perSecond.toFixed(1)}/s${r.steady.late > 1 ? `, sender ${r.steady.late.toFixed(0)} s behind the pace` : ''})`
      : 'not run',
    steadyStages: r.steady ? stageBreakdown(r.steady) : 'not run',
    counts: `${r.population.toLocaleString('en')} (${r.byStatus.new ?? 0} new, ${r.byStatus.linked ?? 0} linked, ${r.byStatus.review ?? 0} review)`,
  };
}

async function main() {
  const config = loadConfig({});
  const loadBefore = loadAverage().toFixed(1);
  const batched = await run(true);
  if (batchedOnly) {
    const b = describe(batched);
    console.log(`micro-batch transactions: records ${b.counts}; ${b.perSecond.toFixed(0)} records/s`);
    console.log(`  worker ms per record by stage: ${b.stageLine}`);
    console.log(`  received -> decided p50/p95 ${b.e2e}; peak RSS ${b.rss}`);
    return;
  }
  const single = await run(false);
  const loadAfter = loadAverage().toFixed(1);
  const b = describe(batched);
  const s = describe(single);
  for (const [name, d, r] of [
    ['micro-batch transactions', b, batched],
    ['one transaction per record', s, single],
  ] as const) {
    console.log(
      `${name}: records ${d.counts}; ${d.perSecond.toFixed(0)} records/s (submitting took ${r.submitted.toFixed(1)} s)`,
    );
    console.log(
      `  worker task p50/p95 ${d.latency}; received -> decided p50/p95 ${d.e2e}; peak RSS ${d.rss}`,
    );
    console.log(`  worker ms per record by stage: ${d.stageLine}`);
  }
  writeBenchmarkSection(
    'Throughput (npm run bench:throughput)',
    `${machineLine()}, load average ${loadBefore} at the start and ${loadAfter} at the end (other work
shares these 2 cores). Generated people with 20% duplicates, submitted as batches of 1,000 (path A)
as fast as the API takes them, decided by the full pipeline on the embedded defaults (Postgres bus,
${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker thread(s) x ${config.NEXUS_WORKER_CONCURRENCY} concurrent tasks, tasks of up to
${config.NEXUS_BATCH_SIZE} records, Postgres candidates, no faces), all on this 2-core machine. The same records run twice,
each on a fresh embedded Postgres: with micro-batch transactions (a task's face-less records
decided in one transaction, docs/decisions/0046-batched-decision-path.md) and with one transaction
per record (the path before it). After its backlog, each engine took ${steadySeconds} s of new
people at half the records/s it had just reached, submitted every 100 ms in batches of whatever
was due (bench/steadyRate.ts): the latency when it keeps up, rather than queueing. Its legs:
relay (received -> relayed), bus (relayed -> fetched into the partition's mailbox, including the
wait for the actor's task before), mailbox, task (handed to the worker pool -> decided_at), and
inside the task the worker's time, the records decided together and the stages of the stage clock
(a batch's whole stage times, which every record of it waits for).

| figure | micro-batch transactions | one transaction per record |
|---|---|---|
| records | ${b.counts} | ${s.counts} |
| records/s, submit to last decision | **${b.perSecond.toFixed(0)}** | ${s.perSecond.toFixed(0)} |
| worker task latency (a record's wait in the worker), p50 / p95 | ${b.latency} | ${s.latency} |
| received -> decided while draining the backlog, p50 / p95 | ${b.e2e} | ${s.e2e} |
| received -> decided at half that path's records/s, steady pace, p50 / p95 / p99 (goal: p95 <= 100 ms) | ${b.steady} | ${s.steady} |
| where the steady records' received -> decided went, p50 / p95 ms (bench/steadyRate.ts) | ${b.steadyStages} | ${s.steadyStages} |
| worker ms per record by stage | ${b.stageLine} | ${s.stageLine} |
| peak RSS, Nexus process | ${b.rss} | ${s.rss} |`,
  );
}

if (process.argv.includes('--faces')) await (await import('./throughputFaces')).facesThroughput();
else await main();
