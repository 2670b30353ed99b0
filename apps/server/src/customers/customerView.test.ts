import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit, foundGoldenRecord, linkRecordToGolden, type Db } from '@nexus/actors';
import { insertStoredRecord } from '../../../../test/storedRecords';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { getCustomer, splitCustomer } from './customersService';

const insertRecord = (db: Db, externalId: string, status: 'new' | 'linked') =>
  insertStoredRecord(db, { external_id: externalId, given_name: 'Ada', family_name: 'Byron' }, status);

describe('customers.get: biometric references and review history', () => {
  let tdb: TestDatabase;
  let goldenId: string;
  let primary: string;
  let second: string;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    const db = tdb.db;
    primary = await insertRecord(db, 'p-1', 'new');
    second = await insertRecord(db, 'p-2', 'linked');
    goldenId = await db.transaction().execute(async (trx) => {
      const g = await foundGoldenRecord(trx, primary, 'engine');
      await linkRecordToGolden(trx, g, second, 4.5, 'engine');
      return g;
    });
    await db
      .insertInto('biometric_references')
      .values([
        {
          reference_id: primary,
          golden_id: goldenId,
          modality: 'face',
          status: 'enrolled',
          enrolled_at: new Date(),
        },
        { reference_id: second, golden_id: goldenId, modality: 'face', status: 'pending' },
      ])
      .execute();
    await appendAudit(db, [
      {
        actor: 'rita',
        action: 'review_case.resolved',
        entity_type: 'review_case',
        entity_id: randomUUID(),
        record_id: second,
        before: { status: 'claimed' },
        after: { status: 'resolved', resolution: 'same_as', goldenId, reason: 'same person' },
      },
      // Another case event of the member: not part of the customer's story.
      {
        actor: 'rita',
        action: 'review_case.claimed',
        entity_type: 'review_case',
        entity_id: randomUUID(),
        record_id: second,
        before: null,
        after: null,
      },
    ]);
  });
  afterAll(async () => {
    await tdb?.drop();
  });

  it("lists the members' face references and the review resolutions of its members in the history", async () => {
    const customer = await getCustomer(tdb.db, goldenId);
    expect(customer.biometricReferences.map((b) => [b.referenceId, b.status])).toEqual([
      [primary, 'enrolled'],
      [second, 'pending'],
    ]);
    expect(customer.biometricReferences[0]!.enrolledAt).toMatch(/^\d{4}-/);
    expect(customer.history.map((h) => h.action)).toEqual([
      'golden_record.created',
      'golden_record.linked',
      'review_case.resolved',
    ]);
  });

  it('a split member takes its face reference and its review history to its new customer', async () => {
    const { customer, newCustomer } = await splitCustomer(
      tdb.db,
      { customerId: goldenId, recordId: second, reason: 'different people' },
      'rita',
    );
    expect(customer.biometricReferences.map((b) => b.referenceId)).toEqual([primary]);
    expect(customer.history.map((h) => h.action)).toEqual([
      'golden_record.created',
      'golden_record.linked',
      'golden_record.split',
    ]);
    // The split-out record is no member any more, but the history still names it.
    expect(customer.historyRecords).toContainEqual({
      recordId: second,
      source: 'fixture',
      externalId: 'p-2',
    });
    expect(newCustomer.biometricReferences.map((b) => b.referenceId)).toEqual([second]);
    // What the engine follows from an ABIS match: the split member's face now leads to its new customer.
    const owners = await tdb.db
      .selectFrom('biometric_references')
      .select(['reference_id', 'golden_id'])
      .execute();
    expect(Object.fromEntries(owners.map((o) => [o.reference_id, o.golden_id]))).toEqual({
      [primary]: goldenId,
      [second]: newCustomer.id,
    });
    expect(newCustomer.history.map((h) => h.action)).toEqual([
      'review_case.resolved',
      'golden_record.created_by_split',
    ]);
  });
});
