import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { RawRecordMessage } from '@nexus/schema';
import {
  decideRecordBatch,
  decideRecordMessage,
  loadActiveModel,
  type Db,
  type PipelineContext,
} from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { generatePopulation } from '../src/generate/syntheticPeople';

/**
 * The micro-batch path (pipeline/batch/) against the one-record path on the same records in the
 * same order: a batch holding several records of one person must end in the same golden records,
 * links, cases and audit entries as deciding them one at a time.
 */
describe('deciding a micro-batch in one transaction', () => {
  let one: TestDatabase;
  let batched: TestDatabase;
  // Every person twice, and a third and fourth record of some (copies under new external ids),
  // with each person's records side by side so one batch holds several records of one person.
  const population = generatePopulation({ people: 40, dupRate: 1, seed: 13 });
  const byPerson = new Map<string, typeof population>();
  for (const p of population) byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p]);
  const ordered = [...byPerson.values()].flatMap((records, i) =>
    i % 3 === 0
      ? [
          ...records,
          ...records.map((r) => ({
            ...r,
            record: { ...r.record, external_id: `${r.record.external_id}-again` },
          })),
        ]
      : records,
  );
  const messages: RawRecordMessage[] = ordered.map((p) => ({
    recordId: randomUUID(),
    batchId: null,
    source: 'registry',
    record: p.record,
    receivedAt: new Date().toISOString(),
  }));
  // The first records are decided alone in both databases, so the batch also links to stored golden records.
  const storedFirst = 20;

  beforeAll(async () => {
    [one, batched] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    const single = await context(one.db);
    for (const m of messages) await decideRecordMessage(single, 0, m);
    const many = await context(batched.db);
    for (const m of messages.slice(0, storedFirst)) await decideRecordMessage(many, 0, m);
    const decided = await decideRecordBatch(many, 0, messages.slice(storedFirst));
    expect(decided.map((d) => d.recordId)).toEqual(messages.slice(storedFirst).map((m) => m.recordId));
  });

  afterAll(async () => {
    await one?.drop();
    await batched?.drop();
  });

  it('decides each record as the one-record path does', async () => {
    expect(await statuses(batched.db)).toEqual(await statuses(one.db));
    const linked = [...(await statuses(one.db)).values()].filter((s) => s === 'linked').length;
    expect(linked).toBeGreaterThan(storedFirst);
  });

  it('puts the same records together in golden records, with the same best values and versions', async () => {
    expect(await clusters(batched.db)).toEqual(await clusters(one.db));
  });

  it('writes the same audit entries and review cases', async () => {
    expect(await auditTrail(batched.db)).toEqual(await auditTrail(one.db));
    const cases = (db: Db) =>
      sql<{
        kind: string;
        n: string;
      }>`select kind, count(*) as n from review_cases group by kind order by kind`.execute(db);
    expect((await cases(batched.db)).rows).toEqual((await cases(one.db)).rows);
  });

  it('decides each record in offset order and keeps every golden record one primary, its oldest', async () => {
    const { rows } = await sql<{ id: string; decided_at: Date }>`
      select id, decided_at from records order by decided_at, id`.execute(batched.db);
    expect(rows.map((r) => r.id)).toEqual(messages.map((m) => m.recordId));
    const primaries = await sql<{ ok: boolean }>`
      select bool_and(p.record_id = (select x.record_id from golden_record_members x
        where x.golden_id = p.golden_id order by x.linked_at limit 1)) as ok
      from golden_record_members p where p.precedence = 'primary'`.execute(batched.db);
    expect(primaries.rows[0]?.ok).toBe(true);
  });

  it('answers a redelivered batch as replayed and writes nothing (invariant 2)', async () => {
    const before = await auditTrail(batched.db);
    const again = await decideRecordBatch(await context(batched.db), 0, messages.slice(storedFirst));
    expect(again.every((d) => d.replayed)).toBe(true);
    expect(await auditTrail(batched.db)).toEqual(before);
  });

  async function context(db: Db): Promise<PipelineContext> {
    return { db, model: await loadActiveModel(db) };
  }

  async function statuses(db: Db): Promise<Map<string, string>> {
    const rows = await db.selectFrom('records').select(['id', 'status']).execute();
    return new Map(rows.map((r) => [r.id, r.status]));
  }

  /** Each golden record as its member ids (sorted), best values, member count and version. */
  async function clusters(db: Db) {
    const { rows } = await sql<{ members: string[]; best: unknown; member_count: number; version: number }>`
      select array_agg(m.record_id::text order by m.record_id) as members, g.best, g.member_count, g.version
      from golden_records g join golden_record_members m on m.golden_id = g.id
      group by g.id order by 1`.execute(db);
    return rows;
  }

  /** Audit entries by record and action, with what they say (golden and case ids differ by database). */
  async function auditTrail(db: Db) {
    const { rows } = await sql<{ record_id: string; action: string; before: unknown; after: unknown }>`
      select record_id, action, before, after - 'candidates' as after from audit_log
      where entity_type in ('golden_record', 'review_case') order by record_id, action`.execute(db);
    return rows;
  }
});
