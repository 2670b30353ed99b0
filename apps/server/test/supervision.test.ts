import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { partitionFor, partitionKey } from '@nexus/schema';
import { blockingKeyLockIds } from '@nexus/actors';
import { blockingKeys, normaliseRecord } from '@nexus/matching';
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
import { submitBatch } from '../src/ingest/submitBatch';

describe('supervision of partition actors', () => {
  let tdb: TestDatabase;
  let engine: Engine | undefined;

  beforeEach(async () => {
    tdb = await createTestDatabase();
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await tdb.drop();
  });

  it('retries a record whose worker thread was killed mid-decision, and decides it once (invariants 1, 2)', async () => {
    engine = await startTestEngine(tdb, { NEXUS_PARTITIONS: 2 });
    const [victim] = generatePopulation({ people: 1, dupRate: 0, seed: 3, prefix: 'kill' });
    await submitBatch(tdb.db, 2, { source: 'kill', records: [victim!.record] });

    // Hold one of the record's blocking-key locks from outside: the worker stops inside its
    // decision transaction, waiting for it.
    const [hi, lo] = blockingKeyLockIds(blockingKeys(normaliseRecord(victim!.record)))[0]!;
    const blocker = new pg.Client({ connectionString: tdb.url });
    await blocker.connect();
    await blocker.query('select pg_advisory_lock($1, $2)', [hi, lo]);
    engine.relay.kick();
    await waitUntil('the worker is stuck on the record', async () => {
      const waiting = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where application_name like 'nexus-worker-%' and wait_event = 'advisory'`.execute(tdb.db);
      return Number(waiting.rows[0]!.n) > 0;
    });
    const threadsBefore = engine.supervisor.pool.threads.map((t) => t.threadId);
    await Promise.all(engine.supervisor.pool.threads.map((t) => t.terminate()));
    await blocker.end();

    await waitUntil('the record is decided after the crash', async () => (await pendingCount(tdb.db)) === 0);
    expect(await countByStatus(tdb.db)).toEqual({ new: 1 });
    const entries = await decisionEntriesPerRecord(tdb.db);
    expect([...entries.values()]).toEqual([1]);
    const actor = engine.supervisor.snapshot().find((a) => a.lastError !== null);
    expect(actor?.lastError).toMatch(/worker failed/);
    expect(engine.supervisor.pool.threads.map((t) => t.threadId)).not.toEqual(threadsBefore);
    // An engine start, a lock wait and a pool restart: 43 to 85 s on a loaded 2-core machine.
  }, 240_000);

  it('dead-letters a poison record after 5 tries while the rest of its partition is decided', async () => {
    const partitions = 2;
    const population = generatePopulation({ people: 40, dupRate: 0, seed: 11, prefix: 'pz' });
    const poison = { ...population[0]!.record, given_name: 'Poison', family_name: 'Pill' };
    const records = [poison, ...population.slice(1).map((p) => p.record)];
    const poisonPartition = partitionFor(partitionKey('pz', poison.external_id), partitions);
    const samePartitionAfter = records
      .slice(1)
      .filter((r) => partitionFor(partitionKey('pz', r.external_id), partitions) === poisonPartition);
    expect(samePartitionAfter.length).toBeGreaterThan(3);

    // A real database failure, every time this record tries to create its golden record.
    await sql`
      create function fail_poison() returns trigger language plpgsql as $$
      begin
        if new.best->>'given_name' = 'Poison' then raise exception 'poison record refused by the database'; end if;
        return new;
      end $$;
      create trigger fail_poison before insert on golden_records for each row execute function fail_poison();
    `.execute(tdb.db);

    engine = await startTestEngine(tdb, { NEXUS_PARTITIONS: partitions });
    await submitBatch(tdb.db, partitions, { source: 'pz', records });
    engine.relay.kick();
    await waitUntil('every record is terminal', async () => (await pendingCount(tdb.db)) === 0);

    const letters = await tdb.db.selectFrom('dead_letters').selectAll().execute();
    expect(letters).toHaveLength(1);
    expect(letters[0]!.attempts).toBe(5);
    expect(letters[0]!.error).toMatch(/poison record refused/);
    const counts = await countByStatus(tdb.db);
    expect(counts.dead_lettered).toBe(1);
    expect((counts.new ?? 0) + (counts.linked ?? 0) + (counts.review ?? 0)).toBe(records.length - 1);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'record.dead_lettered')
      .execute();
    expect(audit).toHaveLength(1);
  });

  it('pauses a partition that restarts too often, and shows it', async () => {
    await sql`
      create function fail_all() returns trigger language plpgsql as $$
      begin raise exception 'database refuses every golden record'; end $$;
      create trigger fail_all before insert on golden_records for each row execute function fail_all();
    `.execute(tdb.db);
    engine = await startTestEngine(
      tdb,
      { NEXUS_PARTITIONS: 1 },
      { maxRestarts: 3, restartWindowMs: 60_000, pauseMs: 60_000 },
    );
    const population = generatePopulation({ people: 3, dupRate: 0, seed: 5, prefix: 'pause' });
    await submitBatch(tdb.db, 1, { source: 'pause', records: population.map((p) => p.record) });
    engine.relay.kick();
    await waitUntil('the partition is paused', () =>
      Promise.resolve(engine!.supervisor.snapshot()[0]?.state === 'paused'),
    );
    const snap = engine.supervisor.snapshot()[0]!;
    expect(snap.pausedUntil).toBeGreaterThan(Date.now());
    expect(snap.lastError).toMatch(/refuses every golden record/);
  });
});
