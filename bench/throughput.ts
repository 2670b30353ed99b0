// npm run bench:throughput [-- --records=N] — generated people (20% duplicates) through the full
// pipeline on the embedded defaults: records/s, decision latency, peak memory.
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
import { machineLine, writeBenchmarkSection } from './report';

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const target = arg('records', 100_000);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0
    ? 0
    : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
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
    const engine = await startEngine(config, db, server.url);
    const processing: number[] = [];
    engine.supervisor.on('outcome', (_p, o) => {
      if (o.result === 'decided' && !o.replayed) processing.push(o.ms);
    });
    // ~1.2 records per person at a 20% duplicate rate.
    const population = generatePopulation({ people: Math.round(target / 1.2), dupRate: 0.2, seed: 2026 });
    const started = performance.now();
    for (let i = 0; i < population.length; i += 1000) {
      await submitBatch(db, config.NEXUS_PARTITIONS, {
        source: 'bench',
        records: population.slice(i, i + 1000).map((p) => p.record),
      });
      engine.relay.kick();
    }
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
        console.log(`pending ${n} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (performance.now() - started) / 1000;
    await engine.stop();
    const e2e = await sql<{ ms: number }>`
      select extract(epoch from (decided_at - received_at)) * 1000 as ms from records order by 1`.execute(db);
    const counts = await db
      .selectFrom('records')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();
    processing.sort((a, b) => a - b);
    const e2eMs = e2e.rows.map((r) => Number(r.ms));
    const perSecond = population.length / seconds;
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
    const lines = [
      `records: ${population.length} (${byStatus.new ?? 0} new, ${byStatus.linked ?? 0} linked, ${byStatus.review ?? 0} review)`,
      `all decided in ${seconds.toFixed(1)} s: ${perSecond.toFixed(0)} records/s (submitting took ${submitted.toFixed(1)} s)`,
      `decision (worker, one record) p50 ${percentile(processing, 50).toFixed(1)} ms, p95 ${percentile(processing, 95).toFixed(1)} ms`,
      `received -> decided in a ${population.length} backlog: p50 ${(percentile(e2eMs, 50) / 1000).toFixed(1)} s, p95 ${(percentile(e2eMs, 95) / 1000).toFixed(1)} s`,
      `peak RSS of the Nexus process (main + worker threads): ${(peakRss / 2 ** 20).toFixed(0)} MiB`,
    ];
    for (const l of lines) console.log(l);
    writeBenchmarkSection(
      'Throughput (npm run bench:throughput)',
      `${machineLine()}. Generated people with 20% duplicates, submitted as batches of 1,000 (path A) as
fast as the API takes them, decided by the full pipeline on the embedded defaults
(Postgres bus, ${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker thread(s) x ${config.NEXUS_WORKER_CONCURRENCY} concurrent records,
micro-batches of ${config.NEXUS_BATCH_SIZE}, Postgres candidates, no faces), all on this 2-core machine.

| figure | value |
|---|---|
| records | ${population.length.toLocaleString('en')} (${byStatus.new ?? 0} new, ${byStatus.linked ?? 0} linked, ${byStatus.review ?? 0} review) |
| records/s, submit to last decision | **${perSecond.toFixed(0)}** |
| decision latency in the worker, p50 / p95 | ${percentile(processing, 50).toFixed(1)} ms / ${percentile(processing, 95).toFixed(1)} ms |
| received -> decided while draining the backlog, p50 / p95 | ${(percentile(e2eMs, 50) / 1000).toFixed(1)} s / ${(percentile(e2eMs, 95) / 1000).toFixed(1)} s |
| peak RSS, Nexus process | ${(peakRss / 2 ** 20).toFixed(0)} MiB |`,
    );
  } finally {
    clearInterval(sampler);
    await db.destroy();
    await server.stop();
  }
}

await main();
