// npm run bench:throughput -- --faces [--records=N --latency-ms=N]: generated people with faces
// (20% duplicates, 5% spoofs, face PNGs on disk) through the engine's defaults, the Tech5
// simulator in its own process in fixed-latency mode (every call answered after exactly N ms, with
// next to no CPU), in one run: faces off; faces on one record at a time with each record's Tech5
// calls in its own turn (NEXUS_TECH5_PREFETCH=0) and with the calls of queued records sent ahead
// (batch decisions off: the path before docs/decisions/0055-faces-in-the-micro-batch-path.md,
// docs/decisions/0054-overlap-of-the-tech5-calls.md); faces on in micro-batches with the Tech5
// calls in waves (the default, ADR 0055), and the same with a whole task's calls in one wave.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { withFaces } from '../apps/server/src/generate/syntheticFaces';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import { writeDataset } from '../apps/server/src/generate/writeDataset';
import { runBatch, spawnSimulator, type BatchRun } from './facesEngine';
import { numberArg } from './args';
import { machineLine, writeBenchmarkSection } from './report';

export async function facesThroughput(): Promise<void> {
  const records = numberArg('records', 2000);
  const latencyMs = numberArg('latency-ms', 40);
  const config = loadConfig({});
  const prefetch = config.NEXUS_TECH5_PREFETCH || 4;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-tp-faces-'));
  const people = generatePopulation({ people: Math.round(records / 1.2), dupRate: 0.2, seed: 2054 });
  const population = withFaces(people, { seed: 2054, spoofRate: 0.05 });
  writeDataset(dir, population);
  const withFaceFiles = population.map((p) => ({
    ...p.record,
    face_image: path.join(dir, 'faces', `${p.record.external_id}.png`),
  }));
  const loadBefore = os.loadavg().map((l) => l.toFixed(1));
  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-tp-faces-pg-')),
    persistent: false,
  });
  const calls: Record<string, { liveness: number; identify: number; insert: number; delete: number }> = {};
  /** Each faces-on run gets an empty ABIS of its own. */
  const withSimulator = async (name: string, overrides: Partial<Config>, batchDecisions = true) => {
    const sim = await spawnSimulator(latencyMs);
    try {
      const run = await runBatch(server.url, name, withFaceFiles, {
        tech5: sim,
        config: overrides,
        faceDirs: [dir],
        batchDecisions,
      });
      const stats = await sim.stats();
      calls[name] = {
        liveness: stats.lds.liveness,
        identify: stats.abis.identify,
        insert: stats.abis.insert,
        delete: stats.abis.delete,
      };
      return run;
    } finally {
      await sim.stop();
    }
  };
  let off: BatchRun, offSingle: BatchRun, inTurn: BatchRun, ahead: BatchRun, waves: BatchRun, wide: BatchRun;
  try {
    off = await runBatch(
      server.url,
      'bench_tp_faces_off',
      people.map((p) => p.record),
    );
    offSingle = await runBatch(
      server.url,
      'bench_tp_faces_off_single',
      people.map((p) => p.record),
      { batchDecisions: false },
    );
    inTurn = await withSimulator('bench_tp_faces_in_turn', { NEXUS_TECH5_PREFETCH: 0 });
    // Batch decisions off: records with a face one at a time, as before ADR 0055.
    ahead = await withSimulator('bench_tp_faces_ahead', { NEXUS_TECH5_PREFETCH: prefetch }, false);
    waves = await withSimulator('bench_tp_faces_waves', { NEXUS_TECH5_PREFETCH: prefetch });
    // A whole task's calls in one wave: how much the bound on calls in flight costs.
    wide = await withSimulator('bench_tp_faces_waves_wide', {
      NEXUS_TECH5_PREFETCH: config.NEXUS_BATCH_SIZE,
    });
  } finally {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const loadAfter = os.loadavg().map((l) => l.toFixed(1));
  const stageLine = (r: BatchRun) =>
    Object.entries(r.stages)
      .map(([k, ms]) => `${k} ${ms.toFixed(1)}`)
      .join(', ');
  const callLine = (name: string) => {
    const c = calls[name];
    if (!c) throw new Error(`no Tech5 call counts for ${name}`);
    return `${c.liveness} liveness, ${c.identify} identify, ${c.insert} insert, ${c.delete} delete`;
  };
  const counts = (r: BatchRun) =>
    `${r.byStatus.new ?? 0} / ${r.byStatus.linked ?? 0} / ${r.byStatus.review ?? 0} / ${r.byStatus.rejected ?? 0}`;
  const ratio = (r: BatchRun) => (r.perSecond / off.perSecond).toFixed(2);
  const rows = [
    ['faces off', off, '-'],
    ['faces off, one transaction per record (the path a record with a face takes)', offSingle, '-'],
    [
      "faces on, one record at a time, calls in each record's turn (NEXUS_TECH5_PREFETCH=0)",
      inTurn,
      callLine('bench_tp_faces_in_turn'),
    ],
    [
      `faces on, one record at a time, queued records' calls sent ahead (batch decisions off; the default before ADR 0055)`,
      ahead,
      callLine('bench_tp_faces_ahead'),
    ],
    [
      `faces on, micro-batches, Tech5 calls in waves of ${prefetch} (the default, ADR 0055)`,
      waves,
      callLine('bench_tp_faces_waves'),
    ],
    [
      `faces on, micro-batches, a task's calls in one wave (NEXUS_TECH5_PREFETCH=${config.NEXUS_BATCH_SIZE})`,
      wide,
      callLine('bench_tp_faces_waves_wide'),
    ],
  ] as const;
  for (const [name, r, c] of rows) {
    console.log(
      `${name}: ${r.perSecond.toFixed(1)} records/s (x${ratio(r)} of faces off); new/linked/review/rejected ${counts(r)}; Tech5 calls ${c}; worker ms per record ${stageLine(r)}`,
    );
  }
  writeBenchmarkSection(
    'Throughput with faces (npm run bench:throughput -- --faces)',
    `${machineLine()}; load average (1/5/15 min) ${loadBefore.join(' / ')} at the start and ${loadAfter.join(' / ')} at the end
(other work shares these 2 cores: read the ratios, not the absolute figures). ${population.length.toLocaleString('en')} generated records
(20% duplicates, 5% spoofs), face PNGs on disk, embedded Postgres, the engine's defaults
(${config.NEXUS_PARTITIONS} partitions, ${config.NEXUS_WORKERS} worker thread(s) x ${config.NEXUS_WORKER_CONCURRENCY} concurrent tasks, tasks of up to ${config.NEXUS_BATCH_SIZE} records),
the Tech5 simulator in its own process in fixed-latency mode: every call answered ${latencyMs} ms after it
arrived, with next to no CPU, so what is measured is the engine's waiting. Faces off: the same people
without face_image (their records take the micro-batch path, docs/decisions/0046-batched-decision-path.md).
Each faces-on run starts with an empty ABIS. Records with a face in micro-batches: liveness of the task's faces,
the live ones inserted into ABIS, their searches, one transaction, the faces of reviews deleted
(docs/decisions/0055-faces-in-the-micro-batch-path.md).

| run | records/s | against faces off | new / linked / review / rejected | Tech5 calls | worker ms per record by stage |
|---|---|---|---|---|---|
${rows.map(([name, r, c]) => `| ${name} | ${r.perSecond.toFixed(1)} | **${ratio(r)}** | ${counts(r)} | ${c} | ${stageLine(r)} |`).join('\n')}
`,
  );
}
