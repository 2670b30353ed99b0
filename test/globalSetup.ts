import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type PostgresHandle } from '../apps/server/src/db/postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A Postgres server on which each test suite creates databases of its own. */
    postgresAdminUrl: string;
  }
}

let embedded: PostgresHandle | undefined;

/**
 * Real Postgres for every test run: DATABASE_URL when given (e.g. the machine's Postgres 15),
 * otherwise the embedded server, started once here and shared; suites never share a database.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres({
      dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-test-pg-')),
      persistent: false,
      database: 'postgres',
    });
    url = embedded.url;
  }
  project.provide('postgresAdminUrl', url);
}

export async function teardown(): Promise<void> {
  await embedded?.stop();
}
