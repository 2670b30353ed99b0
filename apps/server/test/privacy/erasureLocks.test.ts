import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { planErasure } from '../../src/privacy/erasurePlan';
import { lockTargets } from '../../src/privacy/erasureTargets';
import { writeErasure } from '../../src/privacy/erasureWrites';

/**
 * Issue 18, step 2: an erasure holds the engine's blocking-key locks (docs/decisions/0003), so a
 * record of the same person decided at the same moment waits, then finds nothing left to link
 * to: it never joins a half-erased golden record.
 */
const PERSON = {
  given_name: 'Octavia',
  family_name: 'Brindlecombe',
  date_of_birth: '1979-04-21',
  national_id: 'OB4455667',
  city: 'Harrogate',
};

describe('erasure under the engine locks', () => {
  const suite = useTestServer();

  async function submit(records: unknown[]) {
    const token = await suite.server.tokenFor('ingest');
    const res = await fetch(`${suite.server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ source: 'locks', records }),
    });
    expect(res.status).toBe(202);
  }

  async function decided(externalId: string) {
    for (let i = 0; i < 300; i++) {
      const row = await suite.tdb.db
        .selectFrom('records as r')
        .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
        .select(['r.id', 'r.status', 'm.golden_id'])
        .where('r.external_id', '=', externalId)
        .executeTakeFirst();
      if (row && !['received', 'relayed'].includes(row.status)) return row;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${externalId} was not decided`);
  }

  it('a twin decided during the erasure waits for it, then founds a new golden record', async () => {
    await submit([{ external_id: 'ob-1', ...PERSON }]);
    const first = await decided('ob-1');
    expect(first.status).toBe('new');
    const golden = first.golden_id!;
    const db = suite.tdb.db;
    let waitedWhileErasing = false;
    let undecidedWhileErasing = false;
    await db.transaction().execute(async (trx) => {
      const targets = await lockTargets(trx, { customerId: golden });
      const plan = await planErasure(trx, targets, undefined);
      await writeErasure(trx, randomUUID(), plan, 'test of the locks', 'test');
      // The twin arrives while the erasure holds the locks and has written half of its work.
      await submit([{ external_id: 'ob-2', ...PERSON }]);
      for (let i = 0; i < 300 && !waitedWhileErasing; i++) {
        const { rows } = await sql<{ n: string }>`select count(*) as n from pg_locks
          where locktype = 'advisory' and not granted`.execute(db);
        waitedWhileErasing = Number(rows[0]!.n) > 0;
        if (!waitedWhileErasing) await new Promise((r) => setTimeout(r, 50));
      }
      const twin = await db
        .selectFrom('records')
        .select('status')
        .where('external_id', '=', 'ob-2')
        .executeTakeFirstOrThrow();
      undecidedWhileErasing = ['received', 'relayed'].includes(twin.status);
    });
    expect(waitedWhileErasing).toBe(true);
    expect(undecidedWhileErasing).toBe(true);
    const twin = await decided('ob-2');
    expect(twin.status).toBe('new');
    expect(twin.golden_id).not.toBe(golden);
    const erased = await db
      .selectFrom('golden_records')
      .select(['status', 'member_count'])
      .where('id', '=', golden)
      .executeTakeFirstOrThrow();
    expect(erased).toEqual({ status: 'erased', member_count: 0 });
    const members = await db
      .selectFrom('golden_record_members')
      .select('record_id')
      .where('golden_id', '=', golden)
      .execute();
    expect(members).toEqual([]);
  });
});
