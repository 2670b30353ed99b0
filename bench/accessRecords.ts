/**
 * `npm run bench:access`: what recording a read costs (docs/decisions/0037-access-records-and-masking.md).
 * On a throw-away database of DATABASE_URL (required; the machine's Postgres): BENCH_PEOPLE golden
 * records of two members each and BENCH_ACCESS_ROWS access records already written (the GIN
 * indexes at a realistic size), then BENCH_READS customers.get reads one after another, alone and
 * each followed by its access record (the procedure's path), and the insert alone: mean and p95.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb, migrateToLatest } from '@nexus/actors';
import { getCustomer } from '../apps/server/src/customers/customersService';
import { recordAccess, type AccessContext } from '../apps/server/src/privacy/accessRecords';
import { machineLine, writeBenchmarkSection } from './report';
import { ascending, percentile } from './stats';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 20_000);
const ACCESS_ROWS = Number(process.env.BENCH_ACCESS_ROWS ?? 1_000_000);
const READS = Number(process.env.BENCH_READS ?? 2_000);

const stats = (ms: number[]) => {
  const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
  return { mean: mean.toFixed(2), p95: percentile(ascending(ms), 95).toFixed(2) };
};

async function main() {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('set DATABASE_URL to a Postgres the bench may create a database in');
  const name = `nexus_bench_access_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), { maxConnections: 4, applicationName: 'bench-access' });
  try {
    await migrateToLatest(db);
    await sql`
      insert into records (id, source, external_id, partition, payload, status)
      select gen_random_uuid(), 'bench', 'r-' || i, i % 8,
        jsonb_build_object('external_id', 'r-' || i, 'given_name', 'Given' || i, 'family_name', 'Family' || (i / 2)),
        case when i % 2 = 0 then 'new' else 'linked' end
      from generate_series(0, ${PEOPLE * 2 - 1}) as i`.execute(db);
    await sql`
      with g as (
        insert into golden_records (id, status, best, member_count, version)
        select gen_random_uuid(), 'active', jsonb_build_object('family_name', 'Family' || i), 2, 1
        from generate_series(0, ${PEOPLE - 1}) as i returning id, (best->>'family_name') as fam)
      insert into golden_record_members (record_id, golden_id, precedence, link_score)
      select r.id, g.id, case when r.status = 'new' then 'primary' else 'secondary' end, 3
      from records r join g on g.fam = r.payload->>'family_name'`.execute(db);
    const ids = (await db.selectFrom('golden_records').select('id').execute()).map((g) => g.id);
    await sql`
      create temporary table bench_people as
      select row_number() over (order by golden_id) - 1 as idx, golden_id as gid, array_agg(record_id) as rids
      from golden_record_members group by golden_id`.execute(db);
    await sql`
      insert into access_records (username, role, principal_kind, action, subject_type, subject_id, customer_ids, record_ids, reason)
      select 'reviewer-' || (i % 20), 'reviewer', 'person', 'customers.get', 'golden_record', p.gid::text,
        array[p.gid], p.rids, 'bench'
      from generate_series(0, ${ACCESS_ROWS - 1}) as i
      join bench_people p on p.idx = i % ${PEOPLE}`.execute(db);
    await sql`analyze`.execute(db);
    const user = await db
      .insertInto('users')
      .values({
        id: crypto.randomUUID(),
        username: 'bench',
        kind: 'person',
        role: 'reviewer',
        password_hash: null,
        created_by: 'bench',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ctx: AccessContext = {
      deps: { db },
      principal: {
        userId: user.id,
        username: 'bench',
        role: 'reviewer',
        kind: 'person',
        via: 'access_token',
      },
      requestId: crypto.randomUUID(),
    };
    const pick = (i: number) => {
      const id = ids[(i * 7919) % ids.length];
      if (id === undefined) throw new Error(`no customer to read among ${ids.length}`);
      return id;
    };
    const readOnly: number[] = [];
    const readAndRecord: number[] = [];
    const insertOnly: number[] = [];
    for (let i = 0; i < READS; i++) {
      let t = performance.now();
      await getCustomer(db, pick(i));
      readOnly.push(performance.now() - t);
      t = performance.now();
      const view = await getCustomer(db, pick(i + READS));
      await recordAccess(ctx, {
        action: 'customers.get',
        subjectType: 'golden_record',
        subjectId: view.id,
        customerIds: [view.id],
        recordIds: view.members.map((m) => m.recordId),
        reason: 'bench',
      });
      readAndRecord.push(performance.now() - t);
      t = performance.now();
      const [member] = view.members;
      if (!member) throw new Error(`customer ${view.id} has no member record`);
      await recordAccess(ctx, {
        action: 'records.get',
        subjectType: 'record',
        subjectId: member.recordId,
        recordIds: [member.recordId],
        customerIds: [view.id],
      });
      insertOnly.push(performance.now() - t);
    }
    const [a, b, c] = [stats(readOnly), stats(readAndRecord), stats(insertOnly)];
    const body = `
\`npm run bench:access\`, ${machineLine()}, Postgres on 127.0.0.1 (the machine is shared). ${PEOPLE.toLocaleString('en')}
golden records of two members, ${ACCESS_ROWS.toLocaleString('en')} access records already written
(their GIN indexes at that size), ${READS.toLocaleString('en')} reads one after another:

| | mean ms | p95 ms |
|---|---|---|
| customers.get's read alone | ${a.mean} | ${a.p95} |
| the read and its access record (the procedure's path) | ${b.mean} | ${b.p95} |
| the access record's insert alone | ${c.mean} | ${c.p95} |

One insert (one round trip, autocommit) per read; its cost is the gap between the first two rows.
`;
    console.log(body);
    writeBenchmarkSection('Access records (npm run bench:access)', body);
  } finally {
    await db.destroy();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

await main();
