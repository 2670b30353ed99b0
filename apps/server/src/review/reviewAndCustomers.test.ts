import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foundGoldenRecord, linkRecordToGolden, type Db } from '@nexus/actors';
import type { RecordStatus } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';
import { addUser } from '../users/usersService';

/** Fixtures written straight to the suite's database: records, golden records, review cases. */
async function insertRecord(
  db: Db,
  payload: Record<string, string>,
  status: RecordStatus,
  extra: { batchId?: string; explanation?: object } = {},
) {
  const id = randomUUID();
  await db
    .insertInto('records')
    .values({
      id,
      batch_id: extra.batchId ?? null,
      source: 'fixture',
      external_id: payload.external_id!,
      partition: 0,
      payload: JSON.stringify(payload) as never,
      status,
      explanation: extra.explanation ? (JSON.stringify(extra.explanation) as never) : null,
    })
    .execute();
  return id;
}

async function goldenOf(db: Db, people: Array<Record<string, string>>) {
  const ids: string[] = [];
  for (const p of people) ids.push(await insertRecord(db, p, ids.length === 0 ? 'new' : 'linked'));
  return db.transaction().execute(async (trx) => {
    const goldenId = await foundGoldenRecord(trx, ids[0]!, 'engine');
    for (const id of ids.slice(1)) await linkRecordToGolden(trx, goldenId, id, 3, 'engine');
    return { goldenId, recordIds: ids };
  });
}

const explanation = (candidates: string[]) => ({
  modelVersion: '1',
  prior: -10,
  fields: [
    { field: 'given_name', level: 'exact', weight: 6 },
    { field: 'family_name', level: 'close', weight: 3 },
  ],
  total: -1,
  thresholds: { link: 0, review: -2 },
  rule: 'between_thresholds',
  candidates: candidates.map((goldenId) => ({ goldenId, recordId: randomUUID(), score: -1 })),
});

async function reviewCase(
  db: Db,
  person: Record<string, string>,
  goldenIds: string[],
  kind: 'possible_match' | 'merge_proposal' = 'possible_match',
) {
  const recordId = await insertRecord(db, person, 'review', { explanation: explanation(goldenIds) });
  const caseId = randomUUID();
  await db
    .insertInto('review_cases')
    .values({ id: caseId, record_id: recordId, kind, status: 'open', score: -1 })
    .execute();
  await db
    .insertInto('review_case_candidates')
    .values(
      goldenIds.map((g) => ({
        case_id: caseId,
        golden_id: g,
        score: -1,
        explanation: JSON.stringify({}) as never,
      })),
    )
    .execute();
  return { caseId, recordId };
}

let counter = 0;
const someone = (given = 'Maria', family = 'Oliveira', extra: Record<string, string> = {}) => ({
  external_id: `fx-${++counter}`,
  given_name: given,
  family_name: family,
  date_of_birth: '1985-03-12',
  ...extra,
});

let tdb: TestDatabase;
let server: TestServer;
let r1: NexusClient;
let r2: NexusClient;
let operator: NexusClient;

beforeAll(async () => {
  tdb = await createTestDatabase();
  server = await startTestServer(tdb);
  await addUser(
    tdb.db,
    { username: 'second-reviewer', role: 'reviewer', password: 'second-password' },
    'test',
  );
  r1 = createNexusClient(server.url, await server.tokenFor('reviewer'));
  r2 = createNexusClient(server.url, (await server.login('second-reviewer', 'second-password')).accessToken);
  operator = createNexusClient(server.url, await server.tokenFor('operator'));
});
afterAll(async () => {
  await Promise.all([r1?.close(), r2?.close(), operator?.close()]);
  await server?.close();
  await tdb?.drop();
});

const domainCode = (error: unknown) => (error as { data?: { domainCode?: string } }).data?.domainCode;

describe('review', () => {
  it('resolves a case raced by two reviewers exactly once', async () => {
    for (let round = 0; round < 5; round++) {
      const g = await goldenOf(tdb.db, [someone()]);
      const { caseId, recordId } = await reviewCase(tdb.db, someone('Mariah'), [g.goldenId]);
      const results = await Promise.allSettled([
        r1.trpc.review.resolve.mutate({
          caseId,
          resolution: 'same_as',
          goldenId: g.goldenId,
          reason: 'same person',
        }),
        r2.trpc.review.resolve.mutate({ caseId, resolution: 'new_person', reason: 'different person' }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r) => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(domainCode(lost[0]!.reason)).toBe('CASE.ALREADY_RESOLVED');
      const resolved = await tdb.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'review_case.resolved')
        .where('entity_id', '=', caseId)
        .execute();
      expect(resolved).toHaveLength(1);
      const members = await tdb.db
        .selectFrom('golden_record_members')
        .select('golden_id')
        .where('record_id', '=', recordId)
        .execute();
      expect(members).toHaveLength(1);
      const record = await tdb.db
        .selectFrom('records')
        .select('status')
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      const winner = won[0]!.value;
      expect(record.status).toBe(winner.resolution === 'same_as' ? 'linked' : 'new');
    }
  });

  it('refuses a case claimed by another reviewer, and a second resolution', async () => {
    const g = await goldenOf(tdb.db, [someone('Joao', 'Pereira')]);
    const { caseId } = await reviewCase(tdb.db, someone('Joao', 'Pereyra'), [g.goldenId]);
    const claimed = await r1.trpc.review.claim.mutate({ caseId });
    expect(claimed.case).toMatchObject({ status: 'claimed', claimedBy: 'reviewer-user' });
    await expect(r2.trpc.review.claim.mutate({ caseId })).rejects.toSatisfy(
      (e) => domainCode(e) === 'CASE.CLAIMED_BY_OTHER',
    );
    await expect(
      r2.trpc.review.resolve.mutate({ caseId, resolution: 'reject', reason: 'looks fake' }),
    ).rejects.toSatisfy((e) => domainCode(e) === 'CASE.CLAIMED_BY_OTHER');
    const done = await r1.trpc.review.resolve.mutate({
      caseId,
      resolution: 'same_as',
      goldenId: g.goldenId,
      reason: 'typo in name',
    });
    expect(done).toMatchObject({ resolution: 'same_as', goldenId: g.goldenId });
    await expect(
      r1.trpc.review.resolve.mutate({ caseId, resolution: 'new_person', reason: 'changed my mind' }),
    ).rejects.toSatisfy((e) => domainCode(e) === 'CASE.ALREADY_RESOLVED');
    const customer = await r1.trpc.customers.get.query({ customerId: g.goldenId });
    expect(customer.memberCount).toBe(2);
    // The reviewer's decision about the member is part of the customer's history.
    expect(customer.history.map((h) => h.action)).toEqual([
      'golden_record.created',
      'golden_record.linked',
      'review_case.resolved',
    ]);
    expect(customer.history[2]).toMatchObject({ entityId: caseId, after: { reason: 'typo in name' } });
    expect(customer.history[1]).toMatchObject({
      actor: 'reviewer-user',
      before: { member_count: 1 },
      after: { member_count: 2 },
    });
  });

  it('shows a case with its candidates side by side and the waterfall, in a queue oldest first', async () => {
    const a = await goldenOf(tdb.db, [someone('Ana', 'Costa'), someone('Anna', 'Costa')]);
    const b = await goldenOf(tdb.db, [someone('Ana', 'Coста')]);
    const { caseId, recordId } = await reviewCase(
      tdb.db,
      someone('Ana', 'Costa'),
      [a.goldenId, b.goldenId],
      'merge_proposal',
    );
    const view = await r1.trpc.review.get.query({ caseId });
    expect(view.record?.id).toBe(recordId);
    expect(view.candidates.map((c) => c.goldenId).sort()).toEqual([a.goldenId, b.goldenId].sort());
    expect(view.candidates.find((c) => c.goldenId === a.goldenId)!.members).toHaveLength(2);
    expect(view.waterfall).toMatchObject({
      prior: -10,
      total: -1,
      steps: [
        { field: 'given_name', start: -10, end: -4 },
        { field: 'family_name', start: -4, end: -1 },
      ],
    });

    const queue = await r1.trpc.review.queue.query({ kind: 'merge_proposal' });
    expect(queue.items.map((c) => c.id)).toContain(caseId);
    const all = await r1.trpc.review.queue.query({ status: 'unresolved', limit: 200 });
    const created = all.items.map((c) => c.createdAt);
    expect(created).toEqual([...created].sort());

    const merged = await r1.trpc.review.resolve.mutate({
      caseId,
      resolution: 'merge',
      survivorId: a.goldenId,
      reason: 'one person, two records',
    });
    expect(merged.goldenId).toBe(a.goldenId);
    const survivor = await r1.trpc.customers.get.query({ customerId: a.goldenId });
    expect(survivor.memberCount).toBe(4);
    expect(survivor.members.filter((m) => m.precedence === 'primary')).toHaveLength(1);
    const gone = await r1.trpc.customers.get.query({ customerId: b.goldenId });
    expect(gone).toMatchObject({ status: 'merged', mergedInto: a.goldenId, memberCount: 0 });
  });

  it('feeds review case events live', async () => {
    const g = await goldenOf(tdb.db, [someone('Rita', 'Lee')]);
    const { caseId } = await reviewCase(tdb.db, someone('Rita', 'Li'), [g.goldenId]);
    const events: Array<{ type: string; caseId: string }> = [];
    const sub = r1.trpc.live.reviewCases.subscribe(undefined, { onData: (e) => events.push(e.data) });
    await new Promise((r) => setTimeout(r, 300));
    await r1.trpc.review.resolve.mutate({ caseId, resolution: 'reject', reason: 'test record' });
    for (let i = 0; i < 100 && !events.some((e) => e.caseId === caseId); i++)
      await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    expect(events).toContainEqual(expect.objectContaining({ type: 'resolved', caseId }));
  });
});

describe('customers', () => {
  it('finds customers by name, date of birth and identifier', async () => {
    const g = await goldenOf(tdb.db, [
      someone('Beatriz', 'Nascimento', {
        national_id: 'ID-778899',
        email: 'Bia@Example.org',
        date_of_birth: '19900704',
      }),
    ]);
    const by = async (input: { name?: string; dateOfBirth?: string; identifier?: string }) =>
      (await r1.trpc.customers.search.query({ ...input, reason: 'duplicate check' })).map((c) => c.id);
    expect(await by({ name: 'beatriz nasc' })).toContain(g.goldenId);
    expect(await by({ dateOfBirth: '1990-07-04', name: 'Beatriz' })).toContain(g.goldenId);
    expect(await by({ identifier: 'ID-778899' })).toEqual([g.goldenId]);
    expect(await by({ identifier: 'bia@example.org' })).toEqual([g.goldenId]);
    expect(await by({ name: 'Nobody Atall' })).toEqual([]);
    await expect(r1.trpc.customers.search.query({ reason: 'duplicate check' })).rejects.toSatisfy(
      (e) => domainCode(e) === 'REQUEST.INVALID',
    );
    // A person searching outside the review queue says why (docs/decisions/0037).
    await expect(r1.trpc.customers.search.query({ name: 'Beatriz' })).rejects.toSatisfy(
      (e) => domainCode(e) === 'ACCESS.REASON_REQUIRED',
    );
  });

  it('merges two customers and splits a member out, each in one transaction with audit entries and survivorship', async () => {
    const a = await goldenOf(tdb.db, [someone('Carlos', 'Santos', { city: 'Olinda' })]);
    const b = await goldenOf(tdb.db, [
      someone('Carlos', 'Santos', { city: 'Recife' }),
      someone('Carlos', 'Santos', { city: 'Recife' }),
    ]);
    const merged = await r1.trpc.customers.merge.mutate({
      survivorId: a.goldenId,
      mergedId: b.goldenId,
      reason: 'same person',
    });
    expect(merged.memberCount).toBe(3);
    expect(merged.best).toMatchObject({ city: 'Recife' }); // most members agree
    expect(merged.members.filter((m) => m.precedence === 'primary').map((m) => m.recordId)).toEqual([
      a.recordIds[0],
    ]);
    expect(merged.history.at(-1)).toMatchObject({
      action: 'golden_record.merged',
      before: { member_count: 1, members: a.recordIds },
      after: { member_count: 3, merged: [b.goldenId], reason: 'same person' },
    });
    await expect(
      r1.trpc.customers.merge.mutate({ survivorId: a.goldenId, mergedId: b.goldenId, reason: 'again' }),
    ).rejects.toSatisfy((e) => domainCode(e) === 'CUSTOMER.NOT_ACTIVE');

    const leaving = b.recordIds[1]!;
    const { customer, newCustomer } = await r1.trpc.customers.split.mutate({
      customerId: a.goldenId,
      recordId: leaving,
      reason: 'twin brother',
    });
    expect(customer.memberCount).toBe(2);
    expect(newCustomer.memberCount).toBe(1);
    expect(newCustomer.members.map((m) => m.recordId)).toEqual([leaving]);
    expect(newCustomer.members[0]).toMatchObject({ precedence: 'primary', status: 'new' });
    expect(customer.history.at(-1)).toMatchObject({
      action: 'golden_record.split',
      after: { splitInto: newCustomer.id },
    });
    await expect(
      r1.trpc.customers.split.mutate({ customerId: newCustomer.id, recordId: leaving, reason: 'last one' }),
    ).rejects.toSatisfy((e) => domainCode(e) === 'CUSTOMER.LAST_MEMBER');
    const sums = await tdb.db
      .selectFrom('golden_records')
      .select((eb) => eb.fn.sum<string>('member_count').as('n'))
      .where('id', 'in', [a.goldenId, b.goldenId, newCustomer.id])
      .executeTakeFirstOrThrow();
    expect(Number(sums.n)).toBe(3);
  });
});

describe('dead letters and failed records', () => {
  async function deadLettered(batchId: string | null) {
    const person = someone('Paulo', 'Freire', { city: 'Recife' });
    const recordId = await insertRecord(tdb.db, person, 'dead_lettered', batchId ? { batchId } : {});
    const message = {
      recordId,
      batchId,
      source: 'fixture',
      record: { ...person, attributes: {} },
      receivedAt: new Date().toISOString(),
    };
    const { id } = await tdb.db
      .insertInto('dead_letters')
      .values({
        record_id: recordId,
        partition: 0,
        bus_offset: '0',
        payload: JSON.stringify(message) as never,
        error: 'boom',
        attempts: 5,
        status: 'open',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { recordId, deadLetterId: String(id) };
  }

  async function decided(recordId: string) {
    for (let i = 0; i < 200; i++) {
      const r = await tdb.db
        .selectFrom('records')
        .select('status')
        .where('id', '=', recordId)
        .executeTakeFirstOrThrow();
      if (!['received', 'relayed', 'dead_lettered'].includes(r.status)) return r.status;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error('not decided');
  }

  it('replays a dead letter through the engine, discards another with a reason; both audited', async () => {
    const replay = await deadLettered(null);
    const discard = await deadLettered(null);
    const open = await operator.trpc.deadLetters.list.query({ status: 'open' });
    expect(open.items.map((d) => d.id)).toEqual(
      expect.arrayContaining([replay.deadLetterId, discard.deadLetterId]),
    );
    await operator.trpc.deadLetters.replay.mutate({ id: replay.deadLetterId });
    await operator.trpc.deadLetters.discard.mutate({ id: discard.deadLetterId, reason: 'test data' });
    await expect(operator.trpc.deadLetters.replay.mutate({ id: replay.deadLetterId })).rejects.toSatisfy(
      (e) => domainCode(e) === 'DEAD_LETTER.NOT_OPEN',
    );
    expect(['new', 'linked', 'review']).toContain(await decided(replay.recordId));
    const audit = await operator.trpc.audit.list.query({ entityType: 'dead_letter' });
    expect(audit.items.map((a) => a.action)).toEqual(
      expect.arrayContaining(['record.replayed', 'dead_letter.discarded']),
    );
    const record = await operator.trpc.records.get.query({ id: replay.recordId });
    expect(record.decision.rule).not.toBeNull();
  });

  it('retries the failed records of a batch', async () => {
    const batchId = randomUUID();
    await tdb.db
      .insertInto('batches')
      .values({ id: batchId, source: 'fixture', status: 'completed', submitted_by: 'test', record_count: 1 })
      .execute();
    const { recordId } = await deadLettered(batchId);
    const retried = await operator.trpc.batches.retryFailed.mutate({ batchId });
    expect(retried.republished).toBe(1);
    expect(retried.batch.status).toBe('processing');
    await decided(recordId);
    const batch = await operator.trpc.batches.get.query({ batchId });
    expect(batch).toMatchObject({ status: 'completed', counts: { pending: 0, dead_lettered: 0 } });
  });
});
