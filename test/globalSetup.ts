import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  PostgresStartError,
  startEmbeddedPostgres,
  type PostgresHandle,
} from '../apps/server/src/db/postgres';
import { ensureChromium } from './chromium';
import { runningLocalService, startLocalService, stopLocalService, type LocalService } from './localServices';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres server on which each test suite creates databases of its own. */
    postgresAdminUrl: string;
    /** A Kafka broker (host:port) on which each suite uses topics and groups of its own; '' when no suite of this run needs one. */
    kafkaBrokers: string;
    /** An Elasticsearch node on which each suite uses indices of its own; '' when no suite of this run needs one. */
    elasticsearchUrl: string;
    /** The dashboard, built from this checkout's apps/web for the e2e suites; '' when none runs. */
    dashboardDir: string;
  }
}

let embedded: PostgresHandle | undefined;
const started: LocalService[] = [];

/** Which services the selected test files need: suites under test/kafka/ and test/search/. */
async function neededServices(project: TestProject): Promise<Set<LocalService | 'chromium'>> {
  try {
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
    const { testFiles } = await project.globTestFiles(filters);
    const needed = new Set<LocalService | 'chromium'>();
    for (const file of testFiles) {
      if (/[\\/]test[\\/]kafka[\\/]/.test(file)) needed.add('kafka');
      if (/[\\/]test[\\/]search[\\/]/.test(file)) needed.add('elasticsearch');
      if (/[\\/]web[\\/]e2e[\\/]/.test(file)) needed.add('chromium');
    }
    return needed;
  } catch {
    return new Set<LocalService | 'chromium'>(['kafka', 'elasticsearch', 'chromium']);
  }
}

/**
 * Real services for every test run, started once here and shared; suites never share a
 * database, topic or index. Postgres: DATABASE_URL when given (e.g. the machine's Postgres 15),
 * otherwise the embedded server. Kafka and Elasticsearch: KAFKA_BROKERS / ELASTICSEARCH_URL when
 * given (.ci/run starts them), otherwise infra/local starts them, only when a selected suite
 * needs them, and stops them at the end.
 */
export async function setup(project: TestProject): Promise<void> {
  const needed = await neededServices(project);
  let dashboardDir = '';
  if (needed.has('chromium')) {
    ensureChromium();
    dashboardDir = await buildDashboard();
  }
  const service = async (name: LocalService, given: string | undefined): Promise<string> => {
    if (given) return given;
    if (!needed.has(name)) return '';
    // One already running (started by hand) is used and left running.
    const running = await runningLocalService(name);
    if (running) return running;
    const url = await startLocalService(name);
    started.push(name);
    return url;
  };
  const postgres = async (): Promise<string> => {
    if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
    try {
      embedded = await startEmbeddedPostgres({
        dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-test-pg-')),
        persistent: false,
        database: 'postgres',
      });
    } catch (error) {
      // One sentence with what to do, not a stack through the test runner.
      if (error instanceof PostgresStartError) {
        process.stderr.write(`npm test: ${error.message}\n`);
        process.exit(1);
      }
      throw error;
    }
    return embedded.url;
  };
  const [pg, kafka, es] = await Promise.all([
    postgres(),
    service('kafka', process.env.KAFKA_BROKERS),
    service('elasticsearch', process.env.ELASTICSEARCH_URL),
  ]);
  // Suites get the services through inject(), never through the environment: a server or CLI
  // that a suite spawns with process.env must not wander onto the shared broker or node.
  delete process.env.KAFKA_BROKERS;
  delete process.env.ELASTICSEARCH_URL;
  project.provide('postgresAdminUrl', pg);
  project.provide('kafkaBrokers', kafka);
  project.provide('elasticsearchUrl', es);
  project.provide('dashboardDir', dashboardDir);
}

/** A fresh build of apps/web into a temporary folder: the suites test this checkout, not a stale dist/. */
async function buildDashboard(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-dashboard-'));
  const { build } = await import('vite');
  const root = path.resolve(import.meta.dirname, '../apps/web');
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}

export async function teardown(): Promise<void> {
  await Promise.all([embedded?.stop(), ...started.map((s) => stopLocalService(s).catch(() => undefined))]);
}
