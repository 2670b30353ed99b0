import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { createDb } from './database';

describe('a database handle whose connection is cut', () => {
  let tdb: TestDatabase;
  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(() => tdb?.drop());

  it('survives a connection terminated while held between queries, and goes on with a new one', async () => {
    const db = createDb(tdb.url, { maxConnections: 2, applicationName: 'nexus-cut-test' });
    const admin = new pg.Client({ connectionString: tdb.url });
    await admin.connect();
    try {
      // A session held across statements, as the retraining's advisory lock holds one.
      const failure = await db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        await admin.query('select pg_terminate_backend($1)', [rows[0]?.pid]);
        // The server's notice arrives while no query runs: without a listener, the process dies here.
        await new Promise((r) => setTimeout(r, 300));
        return sql`select 1`.execute(conn).then(
          () => 'answered',
          (error: Error) => error.message,
        );
      });
      expect(failure).not.toBe('answered');
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await db.destroy();
    }
  });
});
