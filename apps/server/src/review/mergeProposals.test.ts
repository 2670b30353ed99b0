import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { decisionEntriesPerRecord, pendingCount, waitUntil } from '../../../../test/engineHarness';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';

/**
 * A person registered first by e-mail and name, then by date of birth and town (too little in
 * common to link: two golden records), then with everything: that record matches both.
 */
const person = (tag: string, given: string, family: string, dob: string, city: string) => {
  const email = `${given}.${family}@example.com`.toLowerCase();
  return [
    { external_id: `${tag}-1`, given_name: given, family_name: family, email },
    { external_id: `${tag}-2`, given_name: `${given}e`, date_of_birth: dob, city },
    { external_id: `${tag}-3`, given_name: given, family_name: family, email, date_of_birth: dob, city },
    { external_id: `${tag}-4`, given_name: given, family_name: family, email, date_of_birth: dob, city },
  ];
};

let tdb: TestDatabase;
let server: TestServer;
let reviewer: NexusClient;
let ingest: NexusClient;

async function decide(records: object[]): Promise<void> {
  await ingest.trpc.ingest.submitBatch.mutate({ source: 'mp', records });
  await waitUntil('the batch is decided', async () => (await pendingCount(tdb.db)) === 0);
}

const recordOf = (externalId: string) =>
  tdb.db
    .selectFrom('records as r')
    .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
    .select(['r.id', 'r.status', 'r.decision_rule', 'm.golden_id'])
    .where('r.external_id', '=', externalId)
    .executeTakeFirstOrThrow();

async function proposalsOf(goldenIds: string[]) {
  const key = [...goldenIds].sort().join(',');
  return tdb.db.selectFrom('review_cases').selectAll().where('proposal_key', '=', key).execute();
}

const domainCode = (error: unknown) => (error as { data?: { domainCode?: string } }).data?.domainCode;

beforeAll(async () => {
  tdb = await createTestDatabase();
  // One partition: the records are decided in the order given.
  server = await startTestServer(tdb, { NEXUS_PARTITIONS: '1' });
  reviewer = createNexusClient(server.url, await server.tokenFor('reviewer'));
  ingest = createNexusClient(server.url, await server.tokenFor('ingest'));
});
afterAll(async () => {
  await Promise.all([reviewer?.close(), ingest?.close()]);
  await server?.close();
  await tdb?.drop();
});

describe('a record that matches two golden records', () => {
  it('links to the best one and proposes, once, that the two golden records merge', async () => {
    await decide(person('ann', 'Ann', 'Lee', '1980-03-12', 'Leeds'));
    const [first, second, bridge, later] = await Promise.all(
      ['ann-1', 'ann-2', 'ann-3', 'ann-4'].map(recordOf),
    );
    expect([first!.status, second!.status]).toEqual(['new', 'new']);
    expect(bridge).toMatchObject({
      status: 'linked',
      decision_rule: 'best_of_several_golden_records_above_link_threshold',
      golden_id: first!.golden_id,
    });
    expect(later!.status).toBe('linked');

    const proposals = await proposalsOf([first!.golden_id!, second!.golden_id!]);
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({ record_id: null, kind: 'merge_proposal', status: 'open' });
    // The records are not in review: the proposal is about the golden records.
    expect(
      await tdb.db.selectFrom('review_cases').select('id').where('record_id', 'is not', null).execute(),
    ).toEqual([]);
    const opened = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'review_case.opened')
      .where('entity_id', '=', proposals[0]!.id)
      .execute();
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ record_id: bridge!.id, actor: 'engine' });
    // The bridging record was decided once (its link); the proposal is not a second decision.
    expect((await decisionEntriesPerRecord(tdb.db)).get(bridge!.id)).toBe(1);

    const view = await reviewer.trpc.review.get.query({ caseId: proposals[0]!.id });
    expect(view.record).toBeNull();
    expect(view.candidates.map((c) => c.goldenId).sort()).toEqual(
      [first!.golden_id, second!.golden_id].sort(),
    );
    const queue = await reviewer.trpc.review.queue.query({ kind: 'merge_proposal' });
    expect(queue.items.map((c) => c.id)).toContain(proposals[0]!.id);
  });

  it('resolves through the review API: a proposal has no record to link, and `merge` joins the golden records', async () => {
    const [first, second] = await Promise.all(['ann-1', 'ann-2'].map(recordOf));
    const [proposal] = await proposalsOf([first!.golden_id!, second!.golden_id!]);
    await expect(
      reviewer.trpc.review.resolve.mutate({
        caseId: proposal!.id,
        resolution: 'new_person',
        reason: 'nobody known',
      }),
    ).rejects.toSatisfy((e) => domainCode(e) === 'CASE.INVALID_RESOLUTION');
    const merged = await reviewer.trpc.review.resolve.mutate({
      caseId: proposal!.id,
      resolution: 'merge',
      reason: 'one person registered twice',
    });
    expect(merged.goldenId).toBe(first!.golden_id);
    const survivor = await reviewer.trpc.customers.get.query({ customerId: first!.golden_id! });
    expect(survivor.memberCount).toBe(4);
    const gone = await reviewer.trpc.customers.get.query({ customerId: second!.golden_id! });
    expect(gone).toMatchObject({ status: 'merged', mergedInto: first!.golden_id });

    // Re-resolution: the join's audit entry has the survivorship before and after, and every
    // member compared again with the others, with the direct evidence between the two.
    const entry = await tdb.db
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'golden_record.merged')
      .where('entity_id', '=', first!.golden_id!)
      .executeTakeFirstOrThrow();
    const before = entry.before as { fields: string[]; members: string[] };
    const after = entry.after as {
      fields: string[];
      changedFields: string[];
      members: string[];
      reResolution: {
        crossScore: number;
        crossPair: string[];
        doubtful: string[];
        members: Array<{ recordId: string; from: string }>;
      };
    };
    expect(before.members).toHaveLength(3);
    // Field names, never values (issue 18).
    expect(before.fields).toContain('date_of_birth');
    expect(JSON.stringify(entry)).not.toContain('1980-03-12');
    expect(after.members).toHaveLength(4);
    expect(after.fields).toEqual(expect.arrayContaining(['given_name', 'family_name', 'city']));
    expect(JSON.stringify(entry)).not.toContain('Leeds');
    expect(after.reResolution.crossScore).toBeGreaterThan(0);
    expect(after.reResolution.crossPair).toContain(second!.id);
    expect(after.reResolution.doubtful).toEqual([]);
    expect(after.reResolution.members.find((m) => m.recordId === second!.id)?.from).toBe(second!.golden_id);
  });

  it('does not propose again what a reviewer kept apart', async () => {
    const bob = person('bob', 'Bob', 'Stone', '1955-10-01', 'York');
    await decide(bob.slice(0, 3));
    const [first, second] = await Promise.all(['bob-1', 'bob-2'].map(recordOf));
    const [proposal] = await proposalsOf([first!.golden_id!, second!.golden_id!]);
    await reviewer.trpc.review.resolve.mutate({
      caseId: proposal!.id,
      resolution: 'reject',
      reason: 'father and son',
    });
    await decide(bob.slice(3));
    expect((await recordOf('bob-4')).status).toBe('linked');
    const after = await proposalsOf([first!.golden_id!, second!.golden_id!]);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ status: 'resolved', resolution: 'reject' });
    const active = await tdb.db
      .selectFrom('golden_records')
      .select('status')
      .where('id', 'in', [first!.golden_id!, second!.golden_id!])
      .execute();
    expect(active.map((g) => g.status)).toEqual(['active', 'active']);
  });
});
