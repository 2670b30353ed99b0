import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '@nexus/actors';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';
import { addUser } from '../apps/server/src/users/usersService';

export interface BenchDatabase {
  url: string;
  /** Where it lives, for the report. */
  label: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for one bench run (`bench` names it): on DATABASE_URL's server when set,
 * else a throw-away embedded cluster.
 */
export async function freshDatabase(bench: string): Promise<BenchDatabase> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `nexus_bench_${bench}_${randomBytes(4).toString('hex')}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: given });
      await client.connect();
      await client.query(statement).finally(() => client.end());
    };
    await admin(`create database ${name}`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      label: 'a fresh database on the Postgres of DATABASE_URL',
      drop: () => admin(`drop database if exists ${name} with (force)`),
    };
  }
  const server = await startEmbeddedPostgres({
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `nexus-bench-${bench}-`)),
    persistent: false,
  });
  return {
    url: server.url,
    label: 'embedded Postgres (a throw-away cluster, default durability)',
    drop: () => server.stop(),
  };
}

export async function postgresVersion(db: Db): Promise<string> {
  const result = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
  return onlyRow(result, 'the server version').v;
}

/** A service account with the ingest role; its API key is what the bench's clients send. */
export async function ingestApiKey(db: Db, username: string): Promise<string> {
  const { apiKey } = await addUser(db, { username, role: 'ingest', kind: 'service' }, 'bench');
  if (apiKey === undefined) throw new Error(`the service account ${username} was given no API key`);
  return apiKey;
}

/** The one row a query like `select count(*)` answers; `what` names it when it is missing. */
export function onlyRow<T>({ rows }: { rows: T[] }, what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`no row for ${what}`);
  return row;
}
