import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReResolution } from '@nexus/matching';
import type { Db } from '../db/database';
import { insertStoredRecord } from '../../../../test/storedRecords';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { foundGoldenRecord, linkRecordToGolden, lockGoldenRecord } from './createAndLink';
import { followMerged, lockGoldenRows } from './goldenRecordRows';
import { membersOf } from './members';
import { writeMerge, writeSplit } from './mergeAndSplit';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NO_RE_RESOLUTION: ReResolution = {
  modelVersion: 'test',
  crossScore: null,
  crossPair: null,
  doubtful: [],
  members: [],
};

const insertRecord = (db: Db, externalId: string, givenName: string) =>
  insertStoredRecord(db, { external_id: externalId, given_name: givenName, family_name: 'Byron' }, 'new');

async function mergeInto(db: Db, survivorId: string, mergedId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const ids = [survivorId, mergedId];
    const locked = { golden: await lockGoldenRows(trx, ids), members: await membersOf(trx, ids) };
    await writeMerge(trx, locked, {
      survivorId,
      mergedIds: [mergedId],
      reason: 'test',
      actor: 'rita',
      reResolution: NO_RE_RESOLUTION,
    });
  });
}

describe('the golden-record module: one id scheme, one walk, one settle', () => {
  let tdb: TestDatabase;
  let records: string[];
  let golden: string[];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    records = [];
    for (const [i, name] of ['Ada', 'Ada', 'Augusta', 'Ada'].entries()) {
      records.push(await insertRecord(tdb.db, `gm-${i}`, name));
    }
    golden = [];
    for (const r of records.slice(0, 3)) {
      golden.push(await tdb.db.transaction().execute((trx) => foundGoldenRecord(trx, r, 'rita')));
    }
  }, 120_000);

  afterAll(async () => {
    await tdb?.drop();
  });

  it('gives a reviewer-founded golden record a time-ordered id, as the engine does', () => {
    for (const id of golden) expect(id).toMatch(UUID_V7);
    expect([...golden].sort()).toEqual(golden);
  });

  it('follows a chain of merges to the golden record that holds the members, and settles it', async () => {
    const [a, b, c] = golden as [string, string, string];
    await mergeInto(tdb.db, a, b); // b -> a
    await mergeInto(tdb.db, c, a); // a -> c: b reaches c in two hops
    const reached = await followMerged(tdb.db, b);
    expect(reached?.id).toBe(c);
    expect(reached?.status).toBe('active');
    const locked = await tdb.db.transaction().execute((trx) => lockGoldenRecord(trx, b));
    expect(locked.id).toBe(c);
    expect([...locked.memberIds].sort()).toEqual([...records.slice(0, 3)].sort());
    // The oldest member (the first founded) is the one primary; the votes pick the best name.
    const members = await tdb.db
      .selectFrom('golden_record_members')
      .select(['record_id', 'precedence'])
      .where('golden_id', '=', c)
      .execute();
    expect(members.filter((m) => m.precedence === 'primary').map((m) => m.record_id)).toEqual([records[0]]);
    const row = await tdb.db
      .selectFrom('golden_records')
      .select(['best', 'member_count'])
      .where('id', '=', c)
      .executeTakeFirstOrThrow();
    expect(row.member_count).toBe(3);
    expect(row.best).toMatchObject({ given_name: 'Ada', family_name: 'Byron' });
  });

  it('links through the engine write, following the merge, and splits a member out', async () => {
    const [, b, c] = golden as [string, string, string];
    const fourth = records[3] as string;
    await tdb.db.transaction().execute((trx) => linkRecordToGolden(trx, b, fourth, 7.5, 'rita'));
    const linked = await tdb.db
      .selectFrom('golden_record_members')
      .select(['golden_id', 'link_score'])
      .where('record_id', '=', fourth)
      .executeTakeFirstOrThrow();
    expect(linked).toEqual({ golden_id: c, link_score: 7.5 });

    const split = await tdb.db.transaction().execute(async (trx) => {
      const locked = { golden: await lockGoldenRows(trx, [c]), members: await membersOf(trx, [c]) };
      return writeSplit(trx, locked, {
        goldenId: c,
        recordId: records[2] as string,
        reason: 'test',
        actor: 'rita',
      });
    });
    expect(split).toMatch(UUID_V7);
    const counts = await tdb.db
      .selectFrom('golden_records')
      .select(['id', 'member_count', 'best'])
      .where('id', 'in', [c, split])
      .execute();
    expect(Object.fromEntries(counts.map((g) => [g.id, g.member_count]))).toEqual({ [c]: 3, [split]: 1 });
    expect(counts.find((g) => g.id === split)?.best).toMatchObject({ given_name: 'Augusta' });
  });
});
