import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '@nexus/actors';
import { startEmbeddedPostgres } from '../apps/server/src/db/postgres';

/** A database of its own for one bench:identify run: on the Postgres of DATABASE_URL, else embedded. */
export async function freshDatabase(): Promise<{ url: string; label: string; drop(): Promise<void> }> {
  const given = process.env.DATABASE_URL;
  if (given) {
    const name = `nexus_bench_identify_${randomBytes(4).toString('hex')}`;
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
    dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-identify-')),
    persistent: false,
  });
  return { url: server.url, label: 'embedded Postgres (a throw-away cluster)', drop: () => server.stop() };
}

/**
 * Pre-fills the contacts table of bench:identify with one `INSERT ... SELECT generate_series`:
 * contact i is `c<i>@bench.test`, every fifth a secondary sharing its primary's phone (the values
 * `knownContact` in identifyClients.ts sends). Returns the seconds it took.
 */
export async function fillContacts(db: Db, contacts: number): Promise<number> {
  const started = performance.now();
  await sql`
    insert into contacts (id, email, phone_number, email_key, phone_key, linked_id, link_precedence, created_at, updated_at)
    select i, 'c' || i || '@bench.test', p, 'c' || i || '@bench.test', p,
           case when i % 5 = 0 then i - 1 end,
           case when i % 5 = 0 then 'secondary' else 'primary' end,
           now() - make_interval(secs => (${contacts} - i) / 1000.0), now()
    from generate_series(1, ${contacts}::int) as i,
         lateral (select '9' || lpad((case when i % 5 = 0 then i - 1 else i end)::text, 9, '0') as p) as v
  `.execute(db);
  await sql`select setval(pg_get_serial_sequence('contacts', 'id'), ${contacts}::int)`.execute(db);
  await sql`analyze contacts`.execute(db);
  return (performance.now() - started) / 1000;
}
