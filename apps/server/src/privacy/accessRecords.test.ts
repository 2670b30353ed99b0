import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foundGoldenRecord, linkRecordToGolden, type Db } from '@nexus/actors';
import type { RecordStatus } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';
import { addUser } from '../users/usersService';

const PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

let tdb: TestDatabase;
let server: TestServer;
let reviewer: NexusClient;
let admin: NexusClient;

async function insertRecord(
  db: Db,
  payload: Record<string, string>,
  status: RecordStatus,
  explanation?: object,
) {
  const id = randomUUID();
  await db
    .insertInto('records')
    .values({
      id,
      batch_id: null,
      source: 'fixture',
      external_id: id,
      partition: 0,
      payload: JSON.stringify({ external_id: id, ...payload }) as never,
      status,
      explanation: explanation ? (JSON.stringify(explanation) as never) : null,
    })
    .execute();
  return id;
}

async function person(db: Db, payload: Record<string, string>) {
  const first = await insertRecord(db, payload, 'new');
  const second = await insertRecord(db, payload, 'linked');
  const goldenId = await db.transaction().execute(async (trx) => {
    const g = await foundGoldenRecord(trx, first, 'engine');
    await linkRecordToGolden(trx, g, second, 3, 'engine');
    return g;
  });
  return { goldenId, recordIds: [first, second] };
}

/** The access rows written since `after` (an id), oldest first. */
async function rowsAfter(after: string) {
  return tdb.db.selectFrom('access_records').selectAll().where('id', '>', after).orderBy('id').execute();
}
async function lastId() {
  const row = await tdb.db
    .selectFrom('access_records')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return String(row?.id ?? '0');
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  server = await startTestServer(tdb);
  reviewer = createNexusClient(server.url, await server.tokenFor('reviewer'));
  admin = createNexusClient(server.url, await server.tokenFor('admin'));
});
afterAll(async () => {
  await Promise.all([reviewer?.close(), admin?.close()]);
  await server?.close();
  await tdb?.drop();
});

describe('access records', () => {
  it('refuses a person search without a reason: 400 ACCESS.REASON_REQUIRED', async () => {
    const token = await server.tokenFor('reviewer');
    const input = encodeURIComponent(JSON.stringify({ name: 'Ingrid' }));
    const res = await fetch(`${server.url}/trpc/customers.search?input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as {
      error: { data: { domainCode: string; fields: Array<{ field: string; message: string }> } };
    };
    expect(body.error.data.domainCode).toBe('ACCESS.REASON_REQUIRED');
    expect(body.error.data.fields.map((f) => f.field)).toEqual(['reason']);
    expect(body.error.data.fields[0]!.message).toMatch(/give a reason/);
    const lookup = encodeURIComponent(JSON.stringify({ email: 'ingrid@example.org' }));
    const contacts = await fetch(`${server.url}/trpc/contacts.find?input=${lookup}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(contacts.status).toBe(400);
    expect(((await contacts.json()) as typeof body).error.data.domainCode).toBe('ACCESS.REASON_REQUIRED');
  });

  it('records every read path of a person by a human: who, what, when, why', async () => {
    const p = await person(tdb.db, {
      given_name: 'Ingrid',
      family_name: 'Solberg',
      national_id: 'NO-55126625',
      face_image: PNG,
    });
    const caseRecord = await insertRecord(
      tdb.db,
      { given_name: 'Ingrid', family_name: 'Solberg' },
      'review',
      {
        prior: -10,
        fields: [],
        total: -1,
        thresholds: { link: 0, review: -2 },
        rule: 'between_thresholds',
        candidates: [{ goldenId: p.goldenId, recordId: p.recordIds[0], score: -1 }],
      },
    );
    const caseId = randomUUID();
    await tdb.db
      .insertInto('review_cases')
      .values({ id: caseId, record_id: caseRecord, kind: 'possible_match', status: 'open', score: -1 })
      .execute();
    await tdb.db
      .insertInto('review_case_candidates')
      .values({ case_id: caseId, golden_id: p.goldenId, score: -1, explanation: JSON.stringify({}) as never })
      .execute();

    const before = await lastId();
    const started = Date.now();
    const found = await reviewer.trpc.customers.search.query({
      name: 'ingrid solberg',
      reason: 'caller asked',
    });
    expect(found.map((c) => c.id)).toEqual([p.goldenId]);
    await reviewer.trpc.customers.get.query({ customerId: p.goldenId, reason: 'caller asked' });
    await reviewer.trpc.records.get.query({ id: p.recordIds[0]! });
    await reviewer.trpc.records.face.query({ recordId: p.recordIds[0]! });
    await reviewer.trpc.review.get.query({ caseId });
    const revealed = await reviewer.trpc.access.reveal.mutate({
      customerId: p.goldenId,
      field: 'national_id',
    });
    expect(revealed.value).toBe('NO-55126625');

    const rows = await rowsAfter(before);
    const reviewerId = (
      await tdb.db
        .selectFrom('users')
        .select('id')
        .where('username', '=', 'reviewer-user')
        .executeTakeFirstOrThrow()
    ).id;
    for (const row of rows) {
      expect(row).toMatchObject({
        user_id: reviewerId,
        username: 'reviewer-user',
        role: 'reviewer',
        principal_kind: 'person',
      });
      expect(row.at.getTime()).toBeGreaterThanOrEqual(started - 1000);
      expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const what = rows.map((r) => ({
      action: r.action,
      subject: `${r.subject_type}:${r.subject_id}`,
      customers: r.customer_ids,
      records: [...r.record_ids].sort(),
      reason: r.reason,
    }));
    expect(what).toEqual([
      {
        action: 'customers.search',
        subject: 'search:name',
        customers: [p.goldenId],
        records: [],
        reason: 'caller asked',
      },
      {
        action: 'customers.get',
        subject: `golden_record:${p.goldenId}`,
        customers: [p.goldenId],
        records: [...p.recordIds].sort(),
        reason: 'caller asked',
      },
      {
        action: 'records.get',
        subject: `record:${p.recordIds[0]}`,
        customers: [p.goldenId],
        records: [p.recordIds[0]],
        reason: null,
      },
      {
        action: 'records.face',
        subject: `face:${p.recordIds[0]}`,
        customers: [],
        records: [p.recordIds[0]],
        reason: null,
      },
      {
        action: 'review.get',
        subject: `review_case:${caseId}`,
        customers: [p.goldenId],
        records: [caseRecord, ...p.recordIds].sort(),
        reason: `review case ${caseId}`,
      },
      {
        action: 'access.reveal.national_id',
        subject: `reveal:${p.goldenId}`,
        customers: [p.goldenId],
        records: [],
        reason: null,
      },
    ]);
    // No personal value is written into the trail: the search kept the field, not the name typed.
    expect(JSON.stringify(rows)).not.toMatch(/ingrid|solberg|55126625/i);

    // The admin's view: per person (every read above touched Ingrid), per account, over REST too.
    const trail = await admin.trpc.access.trail.query({ customerId: p.goldenId });
    expect(trail.entries.map((e) => e.action).reverse()).toEqual(what.map((w) => w.action));
    const byUser = await admin.trpc.access.trail.query({ username: 'reviewer-user', limit: 2 });
    expect(byUser.entries.map((e) => e.action)).toEqual(['access.reveal.national_id', 'review.get']);
    expect(byUser.nextCursor).not.toBeNull();
    const rest = await fetch(`${server.url}/api/v1/access-records?customerId=${p.goldenId}&limit=3`, {
      headers: { authorization: `Bearer ${await server.tokenFor('admin')}` },
    });
    expect(rest.status).toBe(200);
    const restBody = (await rest.json()) as { entries: Array<{ action: string; kind: string }> };
    expect(restBody.entries.map((e) => e.action)).toEqual([
      'access.reveal.national_id',
      'review.get',
      'records.face',
    ]);
    const notAdmin = await fetch(`${server.url}/api/v1/access-records`, {
      headers: { authorization: `Bearer ${await server.tokenFor('reviewer')}` },
    });
    expect(notAdmin.status).toBe(403);
    const bad = await fetch(`${server.url}/api/v1/access-records?customerId=nope&limit=0`, {
      headers: { authorization: `Bearer ${await server.tokenFor('admin')}` },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('REQUEST.INVALID');
  });

  it('records nothing for a read that found no one', async () => {
    const before = await lastId();
    await expect(reviewer.trpc.customers.get.query({ customerId: randomUUID() })).rejects.toThrow();
    expect(await rowsAfter(before)).toEqual([]);
  });

  it('records the reads of a service account as a service: no reason asked, told apart from people', async () => {
    const added = await addUser(tdb.db, { username: 'etl-access', role: 'ingest', kind: 'service' }, 'test');
    const key = added.apiKey!;
    const submit = await fetch(`${server.url}/api/v1/records`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        source: 'etl-access',
        records: [
          { external_id: 'e-1', given_name: 'Odile', family_name: 'Marchetti', date_of_birth: '1970-02-03' },
        ],
      }),
    });
    expect(submit.status).toBe(202);
    const { batchId } = (await submit.json()) as { batchId: string };
    const service = createNexusClient(server.url, key);
    try {
      const before = await lastId();
      const record = await service.trpc.records.get.query({ source: 'etl-access', externalId: 'e-1' });
      const csv = await fetch(`${server.url}/api/v1/batches/${batchId}/results.csv`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(csv.status).toBe(200);
      await csv.text();
      await service.trpc.batches.records.query({ batchId });
      const rows = await rowsAfter(before);
      expect(
        rows.map((r) => [r.action, r.subject_type, r.subject_id, r.principal_kind, r.role, r.reason]),
      ).toEqual([
        ['records.get', 'record', record.id, 'service', 'ingest', null],
        ['batches.results_csv', 'batch', batchId, 'service', 'ingest', null],
        ['batches.records', 'batch', batchId, 'service', 'ingest', null],
      ]);
      expect(rows.every((r) => r.username === 'etl-access')).toBe(true);
      // The person's trail finds the batch reads through the batch that holds the record.
      const goldenId = await waitForGolden(record.id);
      const trail = await admin.trpc.access.trail.query({ customerId: goldenId });
      expect(trail.entries.filter((e) => e.kind === 'service').map((e) => e.action)).toEqual(
        expect.arrayContaining(['batches.results_csv', 'batches.records']),
      );
    } finally {
      await service.close();
    }
  });

  it('is append-only: the database refuses updates and deletes outside the retention job', async () => {
    await expect(tdb.db.updateTable('access_records').set({ reason: 'x' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(tdb.db.deleteFrom('access_records').execute()).rejects.toThrow(/append-only/);
  });
});

async function waitForGolden(recordId: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const m = await tdb.db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .where('record_id', '=', recordId)
      .executeTakeFirst();
    if (m) return m.golden_id;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`record ${recordId} was not decided`);
}
