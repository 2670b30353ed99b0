/**
 * bench:web: the dashboard's weight and speed. (a) gzip size of what the first page load fetches
 * (entry chunk, its static imports, CSS) and of the overview's own chunk, from a fresh Vite build;
 * (b) time from navigation to the overview's first figures and partition rows, against a server
 * whose database holds 10k batches and 100k audit entries; (c) frame rate over 20 s of the
 * overview with its charts fed once a second while records are decided.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { chromium, type Page } from 'playwright-core';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/config';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { startNexus, type RunningNexus } from '../apps/server/src/server';
import { addUser } from '../apps/server/src/users/usersService';
import { CHROMIUM_PATH } from '../test/chromium';
import { clientBundleSection, measureClientBundle } from './clientBundle';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';
import { median } from './stats';

const WEB_ROOT = path.resolve(import.meta.dirname, '../apps/web');
const BATCHES = 10_000;
const AUDIT_ENTRIES = 100_000;
const LOADS = 5;
const FRAME_SECONDS = 20;

interface ManifestChunk {
  file: string;
  imports?: string[];
  css?: string[];
  isEntry?: boolean;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const gzipSize = (file: string) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;

async function buildDashboard(): Promise<{ dir: string; manifest: Record<string, ManifestChunk> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-web-'));
  const { build } = await import('vite');
  await build({
    root: WEB_ROOT,
    configFile: path.join(WEB_ROOT, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir: dir, emptyOutDir: true, manifest: true },
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, '.vite/manifest.json'), 'utf8')) as Record<
    string,
    ManifestChunk
  >;
  return { dir, manifest };
}

/** A chunk's files with those it imports statically (what the browser must fetch before it runs). */
function closure(
  manifest: Record<string, ManifestChunk>,
  key: string,
  seen = new Set<string>(),
): Set<string> {
  const chunk = manifest[key];
  if (!chunk) throw new Error(`the Vite manifest has no chunk ${key}`);
  for (const file of [chunk.file, ...(chunk.css ?? [])]) seen.add(file);
  for (const imported of chunk.imports ?? []) {
    const file = manifest[imported]?.file;
    if (file === undefined)
      throw new Error(`the Vite manifest has no chunk ${imported} (imported by ${key})`);
    if (!seen.has(file)) closure(manifest, imported, seen);
  }
  return seen;
}

function bundleSizes(dir: string, manifest: Record<string, ManifestChunk>) {
  const entryKey = Object.entries(manifest).find(([, chunk]) => chunk.isEntry)?.[0];
  if (entryKey === undefined) throw new Error('the Vite manifest has no entry chunk');
  const initial = closure(manifest, entryKey);
  const overviewKey = Object.keys(manifest).find((k) => k.endsWith('pages/overview/OverviewPage.tsx'));
  if (overviewKey === undefined) throw new Error('the Vite manifest has no chunk for the overview page');
  const overview = [...closure(manifest, overviewKey)].filter((f) => !initial.has(f));
  const sizeOf = (files: Iterable<string>) =>
    [...files].map((f) => ({
      file: f,
      gzip: gzipSize(path.join(dir, f)),
      raw: fs.statSync(path.join(dir, f)).size,
    }));
  return { initial: sizeOf(initial), overview: sizeOf(overview) };
}

async function seed(nexus: RunningNexus): Promise<number> {
  const started = performance.now();
  await sql`
    insert into batches (id, source, status, submitted_by, record_count, created_at, updated_at, completed_at)
    select gen_random_uuid(), 'bench-' || (i % 20), 'completed', 'ingest-client', 100 + i % 900,
           now() - make_interval(mins => i), now() - make_interval(mins => i), now() - make_interval(mins => i)
    from generate_series(1, ${BATCHES}) as i`.execute(nexus.db);
  await sql`
    insert into audit_log (at, actor, action, entity_type, entity_id, record_id, before, after)
    select now() - make_interval(secs => i), 'reviewer-' || (i % 7), 'golden_record.linked', 'golden_record',
           gen_random_uuid()::text, gen_random_uuid(), null, jsonb_build_object('score', i % 40)
    from generate_series(1, ${AUDIT_ENTRIES}) as i`.execute(nexus.db);
  await sql`analyze`.execute(nexus.db);
  return performance.now() - started;
}

const person = (i: number) => ({
  external_id: `web-${i}`,
  given_name: ['Ana', 'Bruno', 'Carla', 'Davi', 'Elisa', 'Fábio'][i % 6],
  family_name: ['Silva', 'Souza', 'Costa', 'Lima', 'Rocha'][Math.floor(i / 6) % 5],
  date_of_birth: `19${50 + (i % 45)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
});

interface PageDocument {
  querySelector(selector: string): unknown;
  querySelectorAll(selector: string): { length: number };
}

/** From navigation start to the first figures and partition rows drawn from live data (ms). */
async function firstRender(page: Page): Promise<number> {
  await page.goto('/overview', { waitUntil: 'commit' });
  // A function, not source text: the dashboard's CSP forbids eval in the page.
  const handle = await page.waitForFunction(
    () => {
      const doc = (globalThis as unknown as { document: PageDocument }).document;
      const decided = doc.querySelector('[aria-label="Decided per second"] .stat-value');
      const rows = doc.querySelectorAll('table[aria-label="Partition actors"] tbody tr').length;
      return decided && rows > 0 ? performance.now() : false;
    },
    undefined,
    { polling: 'raf', timeout: 30_000 },
  );
  return Number(await handle.jsonValue());
}

/**
 * Counts rAF frames over `ms` on the open overview. Given as source text: tsx's helpers (__name)
 * do not exist in the page.
 */
const FRAME_COUNTER = `(async (ms) => {
  let longTasks = 0;
  const observer = new PerformanceObserver((list) => { longTasks += list.getEntries().length; });
  try { observer.observe({ type: 'longtask', buffered: false }); } catch { /* no long task reports */ }
  const gaps = [];
  await new Promise((resolve) => {
    const start = performance.now();
    let last = start;
    function frame(now) {
      gaps.push(now - last);
      last = now;
      if (now - start < ms) requestAnimationFrame(frame); else resolve();
    }
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  const total = gaps.reduce((a, b) => a + b, 0);
  return { fps: gaps.length * 1000 / total, frames: gaps.length, over50: gaps.filter((g) => g > 50).length,
    longest: Math.max(...gaps), longTasks };
})`;

/** Mean fps, frames over 50 ms, the longest frame and long tasks while the overview runs. */
async function frameRate(page: Page, seconds: number) {
  return page.evaluate<{ fps: number; frames: number; over50: number; longest: number; longTasks: number }>(
    `${FRAME_COUNTER}(${seconds * 1000})`,
  );
}

async function clientBundle(): Promise<void> {
  const sizes = await measureClientBundle();
  for (const s of sizes) console.log(`@nexus/client, ${s.what}: ${(s.gzip / 1024).toFixed(1)} KiB gzip`);
  writeBenchmarkSection('@nexus/client in a browser (bench:web)', clientBundleSection(sizes, machineLine()));
}

async function main() {
  await clientBundle();
  if (process.argv.includes('--client-only')) return;
  const benchStarted = performance.now();
  const loadAtStart = loadAverage().toFixed(1);
  const built = performance.now();
  const { dir, manifest } = await buildDashboard();
  const buildMs = performance.now() - built;
  const sizes = bundleSizes(dir, manifest);
  const initialGzip = sizes.initial.reduce((n, f) => n + f.gzip, 0);
  const overviewGzip = sizes.overview.reduce((n, f) => n + f.gzip, 0);
  console.log(
    `initial route: ${kb(initialGzip)} gzip in ${sizes.initial.length} files; overview chunk +${kb(overviewGzip)}`,
  );

  const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-web-pg-'));
  const postgres = await startEmbeddedPostgres({ dataDir: pgDir, persistent: false, fast: true });
  const password = randomBytes(12).toString('hex');
  const config = loadConfig({
    DATABASE_URL: postgres.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    NEXUS_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    NEXUS_DASHBOARD_DIR: dir,
  });
  let nexus: RunningNexus | undefined;
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  try {
    nexus = await startNexus(config, () => undefined, undefined, { logger: pino({ level: 'silent' }) });
    const seedMs = await seed(nexus);
    console.log(
      `seeded ${BATCHES} batches and ${AUDIT_ENTRIES} audit entries in ${(seedMs / 1000).toFixed(1)} s`,
    );
    await addUser(nexus.db, { username: 'bench-operator', role: 'operator', password }, 'bench');
    await addUser(nexus.db, { username: 'bench-ingest', role: 'ingest', password }, 'bench');
    const login = await fetch(`${nexus.http.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench-ingest', password }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };

    const context = await browser.newContext({
      baseURL: nexus.http.url,
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('bench-operator');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();

    const loads: number[] = [];
    for (let i = 0; i < LOADS; i++) loads.push(await firstRender(page));
    console.log(
      `first render of the overview: median ${median(loads).toFixed(0)} ms (${loads.map((l) => l.toFixed(0)).join(', ')})`,
    );

    // Records keep arriving while the frames are counted, so every chart and figure changes each second.
    let next = 0;
    const serverUrl = nexus.http.url;
    const feeding = setInterval(() => {
      void fetch(`${serverUrl}/api/v1/records`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({
          source: 'bench-web',
          records: Array.from({ length: 40 }, () => person(next++)),
        }),
      }).catch(() => undefined);
    }, 1000);
    const frames = await frameRate(page, FRAME_SECONDS).finally(() => clearInterval(feeding));
    const decided = (await page.locator('[aria-label="Decided per second"] .stat-note').textContent()) ?? '';
    console.log(
      `frames over ${FRAME_SECONDS} s: ${frames.fps.toFixed(1)} fps mean, ${frames.over50} over 50 ms, longest ${frames.longest.toFixed(0)} ms, ${frames.longTasks} long tasks (${decided})`,
    );
    await context.close();

    const rows = (files: typeof sizes.initial) =>
      files.map((f) => `| \`${f.file}\` | ${kb(f.raw)} | ${kb(f.gzip)} |`).join('\n');
    writeBenchmarkSection(
      'Dashboard (bench:web)',
      `${machineLine()}; Vite production build (${(buildMs / 1000).toFixed(1)} s), Debian Chromium headless at 1280x800
(software rendering), server and embedded Postgres on the same machine; load average ${loadAtStart} at the
start, ${loadAverage().toFixed(1)} at the end${
        Math.max(Number(loadAtStart), loadAverage()) > os.cpus().length
          ? ' (the machine was busy with other work: the timings are upper bounds)'
          : ''
      }.

**Initial route** (what the first load fetches: entry chunk, its static imports, CSS; gzip -9):
**${kb(initialGzip)}** in ${sizes.initial.length} files. The overview page's own lazy chunk adds **${kb(overviewGzip)}**.

| file | raw | gzip |
|---|---:|---:|
${rows(sizes.initial)}
${rows(sizes.overview)}

**Time to first render of the overview** (navigation to the first live figures and partition rows
drawn, signed in, cache warm), with ${BATCHES.toLocaleString('en')} batches and ${AUDIT_ENTRIES.toLocaleString('en')}
audit entries in the database: median **${median(loads).toFixed(0)} ms** of ${LOADS} loads
(${loads.map((l) => l.toFixed(0)).join(', ')} ms). The overview reads neither table; the figure
covers the session refresh, the WebSocket, and the replay of five minutes of samples.

**Frame rate** over ${FRAME_SECONDS} s with all four charts, the figures and the partition table updated once a
second while 40 records/s are submitted and decided: **${frames.fps.toFixed(1)} fps** mean
(${frames.frames} frames), ${frames.over50} frames over 50 ms, longest ${frames.longest.toFixed(0)} ms,
${frames.longTasks} long tasks (> 50 ms).

Run: \`npm run bench:web\` (${((performance.now() - benchStarted) / 1000).toFixed(0)} s).`,
    );
  } finally {
    await browser.close().catch(() => undefined);
    await nexus?.shutdown.shutdown();
    await postgres.stop().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
