// The engine with faces, for the benches: the Tech5 simulator in its own process, and a batch of
// records through a fresh database of the given Postgres server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import path from 'node:path';
import pg from 'pg';
import { createDb, migrateToLatest } from '@nexus/actors';
import type { SimulatorStats } from '@nexus/tech5-sim';
import { loadConfig, type Config } from '../apps/server/src/config';
import { startEngine } from '../apps/server/src/engine/engine';
import { submitBatch } from '../apps/server/src/ingest/submitBatch';

export interface ExternalSimulator {
  ldsUrl: string;
  abisUrl: string;
  url: string;
  stats(): Promise<SimulatorStats>;
  stop(): Promise<void>;
}

/** The simulator in its own process, as a real Tech5 would be: it does not share the engine's thread. */
export async function spawnSimulator(fixedLatencyMs = 0): Promise<ExternalSimulator> {
  const bin = path.resolve(import.meta.dirname, '../apps/tech5-sim/bin/tech5-sim.mjs');
  const child: ChildProcess = spawn(
    process.execPath,
    [bin, '--port', '0', ...(fixedLatencyMs > 0 ? ['--fixed-latency-ms', String(fixedLatencyMs)] : [])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const urls: Record<string, string> = {};
  if (!child.stdout) throw new Error('the simulator was spawned without a stdout pipe');
  const lines = createInterface({ input: child.stdout });
  for await (const line of lines) {
    const [key, value] = line.split('=');
    if (key && value) urls[key] = value;
    if (urls.TECH5_LDS_URL && urls.TECH5_ABIS_URL) break;
  }
  const ldsUrl = urls.TECH5_LDS_URL;
  const abisUrl = urls.TECH5_ABIS_URL;
  if (!ldsUrl || !abisUrl)
    throw new Error(`the simulator exited before printing its URLs (got ${JSON.stringify(urls)})`);
  const base = abisUrl.replace(/\/abis$/, '');
  return {
    ldsUrl,
    abisUrl,
    url: base,
    stats: async () => (await (await fetch(`${base}/sim/stats`)).json()) as SimulatorStats,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface BatchRun {
  records: number;
  seconds: number;
  perSecond: number;
  byStatus: Record<string, number>;
  /** Worker ms per record by stage (pipeline/stageClock.ts), over the records decided. */
  stages: Record<string, number>;
}

export async function runBatch(
  adminUrl: string,
  name: string,
  records: unknown[],
  options: {
    tech5?: ExternalSimulator;
    config?: Partial<Config>;
    faceDirs?: string[];
    /** False: every record in its own transaction (the path records with a face take). */
    batchDecisions?: boolean;
  } = {},
): Promise<BatchRun> {
  const { tech5, faceDirs = [] } = options;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 10 });
  try {
    await migrateToLatest(db);
    const config = loadConfig({});
    const engine = await startEngine(
      {
        ...config,
        TECH5_LDS_URL: tech5?.ldsUrl,
        TECH5_ABIS_URL: tech5?.abisUrl,
        ...options.config,
      },
      db,
      url.toString(),
      { faceDirs, batchDecisions: options.batchDecisions },
    );
    const stages: Record<string, number> = {};
    let decided = 0;
    engine.supervisor.on('outcome', (_p, o) => {
      if (o.result !== 'decided' || o.replayed) return;
      decided++;
      for (const [stage, ms] of Object.entries(o.stages ?? {})) stages[stage] = (stages[stage] ?? 0) + ms;
    });
    const started = performance.now();
    for (let i = 0; i < records.length; i += 500) {
      await submitBatch(db, config.NEXUS_PARTITIONS, { source: 'bench', records: records.slice(i, i + 500) });
      engine.relay.kick();
    }
    for (;;) {
      const { n } = await db
        .selectFrom('records')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('status', 'in', ['received', 'relayed'])
        .executeTakeFirstOrThrow();
      if (Number(n) === 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = (performance.now() - started) / 1000;
    await engine.stop();
    const counts = await db
      .selectFrom('records')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy('status')
      .execute();
    const byStatus = Object.fromEntries(counts.map((c) => [c.status, Number(c.n)]));
    console.log(`${name}: ${records.length} records in ${seconds.toFixed(1)} s, ${JSON.stringify(byStatus)}`);
    return {
      records: records.length,
      seconds,
      perSecond: records.length / seconds,
      byStatus,
      stages: Object.fromEntries(Object.entries(stages).map(([k, ms]) => [k, ms / Math.max(1, decided)])),
    };
  } finally {
    await db.destroy();
  }
}
