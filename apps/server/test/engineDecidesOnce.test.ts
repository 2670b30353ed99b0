import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import {
  countByStatus,
  decisionEntriesPerRecord,
  pendingCount,
  startTestEngine,
  waitUntil,
} from '../../../test/engineHarness';
import type { Engine } from '../src/engine/engine';
import { generatePopulation } from '../src/generate/syntheticPeople';
import { EVERYTHING } from '../src/auth/ownership';
import { getBatch } from '../src/batches/batchStatus';
import { submitBatch } from '../src/ingest/submitBatch';

describe('a batch through the engine (path A)', () => {
  let tdb: TestDatabase;
  let engine: Engine;
  const population = generatePopulation({ people: 300, dupRate: 0.3, seed: 7 });
  let batchId: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    engine = await startTestEngine(tdb);
    const receipt = await submitBatch(tdb.db, engine.bus.partitions, {
      source: 'registry',
      records: population.map((p) => p.record),
    });
    batchId = receipt.batchId;
    engine.relay.kick();
    await waitUntil('the batch is decided', async () => (await pendingCount(tdb.db)) === 0);
  });

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
  });

  it('ends every accepted record in a terminal state, and the batch as completed', async () => {
    const batch = await getBatch(tdb.db, batchId, EVERYTHING);
    expect(batch.status).toBe('completed');
    expect(batch.counts.records).toBe(population.length);
    expect(batch.counts.pending).toBe(0);
    const { new: created, linked, review, rejected, dead_lettered } = batch.counts;
    expect(created + linked + review + rejected + dead_lettered).toBe(population.length);
    expect(created).toBeGreaterThan(0);
    expect(linked).toBeGreaterThan(0);
  });

  it('writes exactly one decision entry per decided record, and member counts add up', async () => {
    const entries = await decisionEntriesPerRecord(tdb.db);
    const counts = await countByStatus(tdb.db);
    const decided = (counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0);
    expect(entries.size).toBe(decided);
    expect([...entries.values()].every((n) => n === 1)).toBe(true);
    const members = await tdb.db
      .selectFrom('golden_records')
      .select((eb) => eb.fn.sum<string>('member_count').as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe((counts.new ?? 0) + (counts.linked ?? 0));
  });

  it('gives every golden record exactly one primary member, its oldest', async () => {
    const rows = await sql<{ golden_id: string; primaries: string; oldest_is_primary: boolean }>`
      select golden_id, count(*) filter (where precedence = 'primary') as primaries,
             bool_or(precedence = 'primary' and linked_at = (select min(linked_at) from golden_record_members x
                     where x.golden_id = m.golden_id)) as oldest_is_primary
      from golden_record_members m group by golden_id`.execute(tdb.db);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) {
      expect(Number(r.primaries)).toBe(1);
      expect(r.oldest_is_primary).toBe(true);
    }
  });

  it('decides each partition in offset order (invariant 7)', async () => {
    const rows = await sql<{ partition: number; msg_offset: string; decided_at: Date }>`
      select m.partition, m.msg_offset, r.decided_at
      from bus_messages m join records r on r.id = (m.payload->>'recordId')::uuid
      order by m.partition, m.msg_offset`.execute(tdb.db);
    expect(rows.rows.length).toBe(population.length);
    for (let i = 1; i < rows.rows.length; i++) {
      const prev = rows.rows[i - 1]!;
      const cur = rows.rows[i]!;
      if (prev.partition !== cur.partition) continue;
      expect(cur.decided_at.getTime()).toBeGreaterThanOrEqual(prev.decided_at.getTime());
    }
  });

  it('puts a batch on the bus in the order it was submitted, so a file is decided in file order', async () => {
    const rows = await sql<{ partition: number; external_id: string }>`
      select m.partition, m.payload->'record'->>'external_id' as external_id
      from bus_messages m order by m.partition, m.msg_offset`.execute(tdb.db);
    const submitted = new Map(population.map((p, index) => [p.record.external_id, index]));
    for (let i = 1; i < rows.rows.length; i++) {
      const prev = rows.rows[i - 1]!;
      const cur = rows.rows[i]!;
      if (prev.partition !== cur.partition) continue;
      expect(submitted.get(cur.external_id)!).toBeGreaterThan(submitted.get(prev.external_id)!);
    }
  });

  it('ignores a redelivery of the whole partition log (invariant 2)', async () => {
    const before = await countByStatus(tdb.db);
    const goldenBefore = await tdb.db
      .selectFrom('golden_records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const auditBefore = await tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    // Rewind the consumer group: every message is delivered again.
    await engine.stop();
    await tdb.db.updateTable('bus_consumer_positions').set({ next_offset: '0' }).execute();
    engine = await startTestEngine(tdb);
    await waitUntil('the rewound log is consumed again', async () => {
      const lag = await engine.supervisor.lag();
      return [...lag.values()].every((n) => n === 0);
    });
    const goldenAfter = await tdb.db
      .selectFrom('golden_records')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const auditAfter = await tdb.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(await countByStatus(tdb.db)).toEqual(before);
    expect(goldenAfter.n).toBe(goldenBefore.n);
    expect(auditAfter.n).toBe(auditBefore.n);
  });

  it('keeps the audit log append-only (invariant 6)', async () => {
    await expect(sql`update audit_log set actor = 'someone else'`.execute(tdb.db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from audit_log`.execute(tdb.db)).rejects.toThrow(/append-only/);
  });
});
