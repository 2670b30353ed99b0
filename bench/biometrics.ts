// npm run bench:biometrics [-- --records=N --gallery=N]
// 1. The Tech5 simulator's 1:N search at 10k, 100k and 1M enrolled templates (p50/p95, scan only
//    and over HTTP with a real face image).
// 2. A generated batch with faces and 5% spoofs through the engine (embedded Postgres, simulator in
//    its own process): records/s with faces on and off, ABIS calls per record, calls saved by
//    failing fast on liveness.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { abisIdentifyResponseSchema } from '@nexus/schema';
import { startTech5Simulator, syntheticCapture } from '@nexus/tech5-sim';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { withFaces } from '../apps/server/src/generate/syntheticFaces';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';
import { writeDataset } from '../apps/server/src/generate/writeDataset';
import { runBatch, spawnSimulator } from './facesEngine';
import { numberArg } from './args';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';
import { ascending, percentile } from './stats';

const RECORDS = numberArg('records', 1000);
const GALLERY_MAX = numberArg('gallery', 1_000_000);
const SEARCHES = 40;

const ms = (v: number) => `${v.toFixed(1)} ms`;

// ---- 1. 1:N latency -------------------------------------------------------------------------

interface SearchRow {
  gallery: number;
  scanP50: number;
  scanP95: number;
  httpP50: number;
  httpP95: number;
}

async function searchLatency(): Promise<SearchRow[]> {
  const sim = await startTech5Simulator();
  const rows: SearchRow[] = [];
  try {
    const faces = Array.from(
      { length: SEARCHES },
      (_, i) =>
        `data:image/png;base64,${syntheticCapture({ subject: { family: 7000 + i, member: 0 }, captureSeed: i }).png.toString('base64')}`,
    );
    for (const size of [10_000, 100_000, 1_000_000].filter((s) => s <= GALLERY_MAX)) {
      sim.seedReferences(size - sim.stats().references);
      const scan: number[] = [];
      const http: number[] = [];
      for (let i = 0; i < SEARCHES + 5; i++) {
        const started = performance.now();
        const response = await fetch(sim.abisUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            id: 'mosip.abis.identify',
            ver: '1.1',
            requestId: `bench-${i}`,
            requesttime: new Date().toISOString(),
            referenceUrl: faces[i % SEARCHES],
            flags: { maxResults: 10, targetFPIR: 20 },
          }),
        });
        const body = abisIdentifyResponseSchema.loose().parse(await response.json()) as {
          analytics?: { searchMs?: string };
        };
        if (i < 5) continue; // warm-up
        http.push(performance.now() - started);
        scan.push(Number(body.analytics?.searchMs ?? Number.NaN));
      }
      const row = {
        gallery: size,
        scanP50: percentile(ascending(scan), 50),
        scanP95: percentile(ascending(scan), 95),
        httpP50: percentile(ascending(http), 50),
        httpP95: percentile(ascending(http), 95),
      };
      console.log(
        `1:N over ${size.toLocaleString('en')}: scan p50 ${ms(row.scanP50)} p95 ${ms(row.scanP95)}; ` +
          `HTTP with a PNG p50 ${ms(row.httpP50)} p95 ${ms(row.httpP95)}`,
      );
      rows.push(row);
    }
  } finally {
    await sim.close();
  }
  return rows;
}

// ---- 2. A batch with faces through the engine -----------------------------------------------

async function batchThroughput() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-faces-'));
  const people = generatePopulation({ people: Math.round(RECORDS / 1.2), dupRate: 0.2, seed: 2027 });
  const population = withFaces(people, { seed: 2027, spoofRate: 0.05 });
  const generating = performance.now();
  writeDataset(dir, population);
  const perFace = (performance.now() - generating) / population.length;
  console.log(
    `generated ${population.length} records with faces in ${dir} (${perFace.toFixed(1)} ms a face)`,
  );
  const withFaceFiles = population.map((p) => ({
    ...p.record,
    face_image: path.join(dir, 'faces', `${p.record.external_id}.png`),
  }));
  const spoofs = population.filter((p) => p.face.spoof).length;

  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-bio-pg-')),
    persistent: false,
  });
  const sim = await spawnSimulator();
  const sims = [sim];
  try {
    const off = await runBatch(
      server.url,
      'bench_faces_off',
      people.map((p) => p.record),
    );
    const on = await runBatch(server.url, 'bench_faces_on', withFaceFiles, { tech5: sim, faceDirs: [dir] });
    const stats = await sim.stats();
    const abisCalls = stats.abis.identify + stats.abis.insert;
    // Records with faces mostly wait on Tech5: more of them in flight per worker thread, on an empty ABIS.
    await sim.stop();
    sims.push(await spawnSimulator());
    const more = await runBatch(server.url, 'bench_faces_on_c16', withFaceFiles, {
      tech5: sims.at(-1),
      config: { NEXUS_WORKER_CONCURRENCY: 16 },
      faceDirs: [dir],
    });
    return { off, on, more, stats, abisCalls, spoofs, perFace, records: population.length };
  } finally {
    await sims.at(-1)?.stop();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const search = await searchLatency();
  const batch = await batchThroughput();
  const { on, off, more, stats, abisCalls, spoofs } = batch;
  const rejectedBySpoof = on.byStatus.rejected ?? 0;
  // Without the fail-fast rule every spoof would have been searched (1 identify), and those that
  // then joined a golden record enrolled too.
  const saved = rejectedBySpoof;
  const lines = [
    `${machineLine()}; load average ${loadAverage().toFixed(1)} at the end (a shared machine: timings are noisy).`,
    '',
    `### 1:N search in the simulator (npm run bench:biometrics)`,
    '',
    `512-bit face templates in one Uint32Array, XOR + popcount over every enrolled template; ${SEARCHES} searches`,
    'per size with real generated face PNGs (sent as data: URLs, as Nexus sends them). "scan" is the',
    'search itself; "HTTP" adds the request, PNG decoding and template extraction.',
    '',
    '| enrolled templates | scan p50 | scan p95 | HTTP p50 | HTTP p95 |',
    '|---|---|---|---|---|',
    ...search.map(
      (r) =>
        `| ${r.gallery.toLocaleString('en')} | ${ms(r.scanP50)} | ${ms(r.scanP95)} | ${ms(r.httpP50)} | ${ms(r.httpP95)} |`,
    ),
    '',
    `### A batch with faces through the engine`,
    '',
    `${batch.records} generated records (20% duplicates, ${spoofs} spoofs = 5%), face PNGs on disk`,
    `(${batch.perFace.toFixed(1)} ms to draw and write one), embedded Postgres, default engine settings, the simulator in`,
    'its own process. Faces off: the same people without face_image.',
    '',
    '| | records/s | new | linked | review | rejected |',
    '|---|---|---|---|---|---|',
    `| faces off | ${off.perSecond.toFixed(0)} | ${off.byStatus.new ?? 0} | ${off.byStatus.linked ?? 0} | ${off.byStatus.review ?? 0} | ${off.byStatus.rejected ?? 0} |`,
    `| faces on | ${on.perSecond.toFixed(0)} | ${on.byStatus.new ?? 0} | ${on.byStatus.linked ?? 0} | ${on.byStatus.review ?? 0} | ${on.byStatus.rejected ?? 0} |`,
    `| faces on, NEXUS_WORKER_CONCURRENCY=16 | ${more.perSecond.toFixed(0)} | ${more.byStatus.new ?? 0} | ${more.byStatus.linked ?? 0} | ${more.byStatus.review ?? 0} | ${more.byStatus.rejected ?? 0} |`,
    '',
    `- liveness checks: ${stats.lds.liveness} (${stats.lds.spoof} spoofs caught, ${stats.lds.live} live)`,
    `- ABIS calls: ${abisCalls} (${stats.abis.identify} identify + ${stats.abis.insert} insert) = ` +
      `${(abisCalls / on.records).toFixed(2)} per record; spoof samples that reached ABIS: ${stats.spoofSamplesAtAbis}`,
    `- saved by failing fast: ${saved} identify calls (${((100 * saved) / on.records).toFixed(1)}% of records never searched), ` +
      `and the enrolment of any spoof that would have joined a golden record`,
    `- mean 1:N scan in the run: ${ms(stats.search.totalMs / Math.max(1, stats.search.count))}`,
  ];
  console.log(lines.join('\n'));
  writeBenchmarkSection('Biometrics', lines.join('\n'));
}

await main();
