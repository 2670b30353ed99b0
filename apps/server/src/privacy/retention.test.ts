import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordStatus } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { runRetention, type RetentionSettings } from './retention';

const NOW = new Date('2026-06-30T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000);
const FACE = 'data:image/png;base64,AAAA';
const SETTINGS: RetentionSettings = {
  rawDays: 30,
  faceDays: 10,
  reviewDays: 90,
  auditDays: 365,
  accessDays: 180,
};

let tdb: TestDatabase;

async function record(status: RecordStatus, decidedDaysAgo: number | null, receivedDaysAgo = 400) {
  const id = randomUUID();
  await tdb.db
    .insertInto('records')
    .values({
      id,
      batch_id: null,
      source: 'retention',
      external_id: `x-${id}`,
      partition: 0,
      payload: JSON.stringify({ external_id: `x-${id}`, given_name: 'Rosalind', face_image: FACE }) as never,
      normalised: JSON.stringify({ given_name: 'ROSALIND' }) as never,
      status,
      received_at: daysAgo(receivedDaysAgo),
      decided_at: decidedDaysAgo === null ? null : daysAgo(decidedDaysAgo),
    })
    .execute();
  return id;
}

async function payloadOf(id: string) {
  return tdb.db
    .selectFrom('records')
    .select(['payload', 'normalised', 'payload_purged_at', 'face_purged_at'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => {
  await tdb?.drop();
});

describe('retention', () => {
  it('purges exactly what is older than its period, and never an undecided record', async () => {
    const ids = {
      oldLinked: await record('linked', 31),
      oldNew: await record('new', 45),
      oldRejected: await record('rejected', 31),
      faceOnly: await record('linked', 11),
      young: await record('linked', 9),
      // Undecided, however old: waiting, in review, dead-lettered (a replay reads the payload).
      received: await record('received', null, 400),
      relayed: await record('relayed', null, 400),
      review: await record('review', 400),
      deadLettered: await record('dead_lettered', 400),
    };
    const caseId = async (status: 'open' | 'resolved', resolvedDaysAgo: number | null) => {
      const id = randomUUID();
      await tdb.db
        .insertInto('review_cases')
        .values({
          id,
          // One case per record: the open one is the record in review's, resolved ones stand alone.
          record_id: status === 'open' ? ids.review : null,
          kind: status === 'open' ? 'possible_match' : 'merge_proposal',
          status,
          score: -1,
          created_at: daysAgo(500),
          resolved_at: resolvedDaysAgo === null ? null : daysAgo(resolvedDaysAgo),
          resolution: resolvedDaysAgo === null ? null : 'new_person',
        })
        .execute();
      return id;
    };
    const oldCase = await caseId('resolved', 91);
    const youngCase = await caseId('resolved', 89);
    const openCase = await caseId('open', null);
    const audit = (d: number, action: string) =>
      tdb.db
        .insertInto('audit_log')
        .values({
          at: daysAgo(d),
          actor: 't',
          action,
          entity_type: 'record',
          entity_id: 'e',
          record_id: null,
          before: null,
          after: null,
        })
        .execute();
    await audit(366, 'old');
    await audit(364, 'young');
    const access = (d: number, action: string) =>
      tdb.db
        .insertInto('access_records')
        .values({
          at: daysAgo(d),
          username: 'u',
          role: 'reviewer',
          principal_kind: 'person',
          action,
          subject_type: 'record',
          subject_id: 'x',
        })
        .execute();
    await access(181, 'old');
    await access(179, 'young');

    // A dry run counts exactly what a run removes, and removes nothing.
    const dry = await runRetention(tdb.db, SETTINGS, { dryRun: true, trigger: 'command', now: NOW });
    const expected = {
      raw_payloads: 3,
      face_images: 4,
      dead_letter_payloads: 0,
      bus_messages: 0,
      review_cases: 1,
      audit_entries: 1,
      access_records: 1,
    };
    expect(dry!.removed).toEqual(expected);
    expect((await payloadOf(ids.oldLinked)).payload).toHaveProperty('given_name', 'Rosalind');
    expect(
      await tdb.db.selectFrom('audit_log').select('action').where('actor', '=', 't').execute(),
    ).toHaveLength(2);

    const run = await runRetention(tdb.db, SETTINGS, { dryRun: false, trigger: 'command', now: NOW });
    expect(run!.removed).toEqual(expected);

    for (const id of [ids.oldLinked, ids.oldNew, ids.oldRejected]) {
      const r = await payloadOf(id);
      expect(r.payload).toEqual({ external_id: `x-${id}` });
      expect(r.payload_purged_at).not.toBeNull();
      expect(r.face_purged_at).not.toBeNull();
      // Matching still has the cleaned values.
      expect(r.normalised).toEqual({ given_name: 'ROSALIND' });
    }
    const faceOnly = await payloadOf(ids.faceOnly);
    expect(faceOnly.payload).toEqual({ external_id: `x-${ids.faceOnly}`, given_name: 'Rosalind' });
    expect(faceOnly.payload_purged_at).toBeNull();
    for (const id of [ids.young, ids.received, ids.relayed, ids.review, ids.deadLettered]) {
      const r = await payloadOf(id);
      expect(r.payload).toEqual({ external_id: `x-${id}`, given_name: 'Rosalind', face_image: FACE });
      expect(r.payload_purged_at).toBeNull();
      expect(r.face_purged_at).toBeNull();
    }
    const cases = await tdb.db.selectFrom('review_cases').select('id').execute();
    expect(cases.map((c) => c.id).sort()).toEqual([youngCase, openCase].sort());
    expect(cases.map((c) => c.id)).not.toContain(oldCase);
    expect(
      (await tdb.db.selectFrom('audit_log').select('action').where('actor', '=', 't').execute()).map(
        (a) => a.action,
      ),
    ).toEqual(['young']);
    expect(
      (await tdb.db.selectFrom('access_records').select('action').execute()).map((a) => a.action),
    ).toEqual(['young']);

    // Runs are kept with their counts; a second run finds nothing left.
    const again = await runRetention(tdb.db, SETTINGS, { dryRun: false, trigger: 'schedule', now: NOW });
    expect(Object.values(again!.removed)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    const runs = await tdb.db.selectFrom('retention_runs').selectAll().orderBy('id').execute();
    expect(runs.map((r) => [r.trigger, r.dry_run, r.removed])).toEqual([
      ['command', true, expected],
      ['command', false, expected],
      ['schedule', false, again!.removed],
    ]);
  });

  it("purges the bus's copies of payloads every consumer has read, after the shorter of the raw and face periods", async () => {
    // Topic `records` read by two groups; `other` by one group that has not reached partition 1.
    const message = (topic: string, partition: number, offset: number, ageDays: number) =>
      tdb.db
        .insertInto('bus_messages')
        .values({
          topic,
          partition,
          msg_offset: String(offset),
          key: `k-${offset}`,
          payload: JSON.stringify({
            recordId: randomUUID(),
            record: { given_name: 'Rosalind', face_image: FACE },
          }) as never,
          created_at: daysAgo(ageDays),
        })
        .execute();
    const position = (group: string, topic: string, partition: number, next: number) =>
      tdb.db
        .insertInto('bus_consumer_positions')
        .values({ group_id: group, topic, partition, next_offset: String(next), updated_at: NOW })
        .execute();
    await message('records', 0, 0, 11); // read by both, older than the face period: purged
    await message('records', 0, 1, 11); // engine read it, the relay has not: kept
    await message('records', 0, 2, 9); // read by both, younger than 10 days: kept
    await message('records', 1, 0, 400); // partition 1: only one group has a position: kept
    await message('other', 0, 0, 400); // read: purged
    await message('other', 0, 1, 400); // not read yet: kept
    await position('engine', 'records', 0, 3);
    await position('relay', 'records', 0, 1);
    await position('engine', 'records', 1, 1);
    await position('engine', 'other', 0, 1);
    const left = async () =>
      (
        await tdb.db
          .selectFrom('bus_messages')
          .select(['topic', 'partition', 'msg_offset'])
          .orderBy('topic')
          .orderBy('partition')
          .orderBy('msg_offset')
          .execute()
      ).map((m) => `${m.topic}/${m.partition}/${m.msg_offset}`);
    const all = await left();
    const onlyBus = { rawDays: 30, faceDays: 10, reviewDays: 0, auditDays: 0, accessDays: 0 };
    const dry = await runRetention(tdb.db, onlyBus, { dryRun: true, trigger: 'command', now: NOW });
    expect(dry!.removed.bus_messages).toBe(2);
    expect(await left()).toEqual(all);
    const run = await runRetention(tdb.db, onlyBus, { dryRun: false, trigger: 'command', now: NOW });
    expect(run!.removed.bus_messages).toBe(2);
    expect(await left()).toEqual(['other/0/1', 'records/0/1', 'records/0/2', 'records/1/0']);
    // Without a face period the raw period decides: the 11-day-old message read by both is kept.
    await message('records', 0, 3, 11);
    await tdb.db
      .updateTable('bus_consumer_positions')
      .set({ next_offset: '4' })
      .where('topic', '=', 'records')
      .where('partition', '=', 0)
      .execute();
    const rawOnly = { ...onlyBus, faceDays: 0 };
    const second = await runRetention(tdb.db, rawOnly, { dryRun: false, trigger: 'command', now: NOW });
    expect(second!.removed.bus_messages).toBe(0);
    const third = await runRetention(
      tdb.db,
      { ...rawOnly, rawDays: 10 },
      { dryRun: false, trigger: 'command', now: NOW },
    );
    // records/0/1 and /0/3 (11 days, read by both now); /0/2 is 9 days old; other/0/1 is unread.
    expect(third!.removed.bus_messages).toBe(2);
    expect(await left()).toEqual(['other/0/1', 'records/0/2', 'records/1/0']);
  });

  it('keeps everything when no period is set, and the audit log stays append-only outside the job', async () => {
    const id = await record('linked', 3000);
    const none = { rawDays: 0, faceDays: 0, reviewDays: 0, auditDays: 0, accessDays: 0 };
    const run = await runRetention(tdb.db, none, { dryRun: false, trigger: 'command', now: NOW });
    expect(Object.values(run!.removed)).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect((await payloadOf(id)).payload).toHaveProperty('face_image', FACE);
    await expect(tdb.db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(tdb.db.updateTable('audit_log').set({ actor: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
  });
});
