import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_MASKS, USER_ROLES, maskValue, type UserRole } from '@nexus/schema';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import { LOG_REDACTION } from './logRedaction';
import { DASHBOARD_HEADER } from './masking';

/** Every personal value of the input: none may appear in any log line. */
const people = [
  {
    external_id: 'm-1',
    given_name: 'Wilhelmina',
    family_name: 'Quarterfield',
    date_of_birth: '1961-08-17',
    national_id: 'QX-40196625',
    phone: '+44 20 7946 0133',
    email: 'wilhelmina.q@example.org',
    street: 'Larkspur Crescent',
    city: 'Dunwick',
    postcode: 'DW4 7QT',
  },
  {
    external_id: 'm-2',
    given_name: 'Wilhelmina',
    family_name: 'Quarterfield',
    date_of_birth: '1961-08-17',
    national_id: 'QX-40196625',
    phone: '+44 20 7946 0133',
    email: 'wilhelmina.q@example.org',
    street: 'Larkspur Crescent',
    city: 'Dunwick',
    postcode: 'DW4 7QT',
  },
  // Invalid on purpose: a rejected record's values must not reach the logs either.
  {
    external_id: 'm-3',
    given_name: 'Bartholomew',
    family_name: 'Inchcape',
    date_of_birth: '1999-13-45',
    email: 'not an email bartholomew@',
  },
];
const VALUES = [
  'Wilhelmina',
  'Quarterfield',
  '1961-08-17',
  '19610817',
  'QX-40196625',
  '40196625',
  '7946 0133',
  '+442079460133',
  'wilhelmina.q@example.org',
  'Larkspur',
  'Dunwick',
  'DW4 7QT',
  'Bartholomew',
  'Inchcape',
];

let tdb: TestDatabase;
let server: TestServer;
const lines: string[] = [];

beforeAll(async () => {
  tdb = await createTestDatabase();
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  server = await startTestServer(
    tdb,
    { LOG_LEVEL: 'debug' },
    { logger: pino({ level: 'debug', redact: LOG_REDACTION }, sink) },
  );
});
afterAll(async () => {
  await server?.close();
  await tdb?.drop();
});

async function submitAndWait(token: string, source: string, records: object[]): Promise<string> {
  const res = await fetch(`${server.url}/api/v1/records`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source, records }),
  });
  expect(res.status).toBe(202);
  const { batchId } = (await res.json()) as { batchId: string };
  for (let i = 0; i < 300; i++) {
    const batch = await fetch(`${server.url}/api/v1/batches/${batchId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (((await batch.json()) as { status: string }).status === 'completed') return batchId;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`batch ${batchId} did not complete`);
}

describe('masking', () => {
  it('masks identifiers per role, as FIELD_MASKS says (role matrix)', async () => {
    const ingestToken = await server.tokenFor('ingest');
    await submitAndWait(ingestToken, 'registry', people);
    const seen: Record<string, unknown> = {};
    for (const role of USER_ROLES) {
      const client = createNexusClient(server.url, await server.tokenFor(role));
      try {
        const record = await client.trpc.records.get.query({
          source: 'registry',
          externalId: 'm-1',
          reason: 'matrix',
        });
        seen[role] = {
          national_id: record.payload.national_id,
          phone: record.payload.phone,
          email: record.payload.email,
          given_name: record.payload.given_name,
        };
        if (role !== 'ingest') {
          const golden = await client.trpc.customers.get.query({
            customerId: record.decision.goldenId!,
            reason: 'matrix',
          });
          expect(golden.best.national_id).toBe(record.payload.national_id);
          expect(golden.members.map((m) => m.payload.phone)).toEqual([
            record.payload.phone,
            record.payload.phone,
          ]);
          const found = await client.trpc.customers.search.query({
            identifier: 'QX-40196625',
            reason: 'matrix',
          });
          expect(found.map((c) => c.best.email)).toEqual([record.payload.email]);
        }
      } finally {
        await client.close();
      }
    }
    const full = {
      national_id: 'QX-40196625',
      phone: '+44 20 7946 0133',
      email: 'wilhelmina.q@example.org',
      given_name: 'Wilhelmina',
    };
    const masked = {
      national_id: '*******6625',
      phone: '************0133',
      email: 'w***@example.org',
      given_name: 'Wilhelmina',
    };
    expect(seen).toEqual({ admin: full, reviewer: full, operator: masked, ingest: masked });
    // The mapping is what the answers follow, field by field.
    for (const role of USER_ROLES as readonly UserRole[])
      for (const field of ['national_id', 'phone', 'email'] as const)
        expect((seen[role] as Record<string, string>)[field]).toBe(
          maskValue(full[field], FIELD_MASKS[role][field]),
        );
  });

  it('masks national ids and phones for every role on the dashboard; Reveal answers in full and is recorded (REST and tRPC)', async () => {
    // Runs after the role matrix, on the records it submitted (m-2 linked to m-1: its explanation compares them).
    const trpcGet = async (role: UserRole, dashboard: boolean) => {
      const input = encodeURIComponent(
        JSON.stringify({ source: 'registry', externalId: 'm-2', reason: 'dashboard matrix' }),
      );
      const res = await fetch(`${server.url}/trpc/records.get?input=${input}`, {
        headers: {
          authorization: `Bearer ${await server.tokenFor(role)}`,
          ...(dashboard ? { [DASHBOARD_HEADER]: '1' } : {}),
        },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as {
        result: {
          data: {
            id: string;
            payload: Record<string, string>;
            decision: { goldenId: string };
            explanation: { fields?: Array<{ field: string; left: string | null; right: string | null }> };
          };
        };
      };
      return body.result.data;
    };
    const onDashboard: Record<string, unknown> = {};
    for (const role of USER_ROLES) {
      const record = await trpcGet(role, true);
      onDashboard[role] = [record.payload.national_id, record.payload.phone, record.payload.email];
      // The compared values of the explanation are masked as the payload is: no full value leaks there.
      const compared = record.explanation.fields?.find((f) => f.field === 'national_id');
      // (an ingest client's explanations carry no compared values at all)
      if (role !== 'ingest') expect(compared?.left).toMatch(/^\*{5,}6625$/);
      const text = JSON.stringify(record);
      expect(text).not.toContain('40196625');
      expect(text).not.toContain('79460133');
      expect(text).not.toContain('7946 0133');
    }
    expect(onDashboard).toEqual({
      admin: ['*******6625', '************0133', 'wilhelmina.q@example.org'],
      reviewer: ['*******6625', '************0133', 'wilhelmina.q@example.org'],
      operator: ['*******6625', '************0133', 'w***@example.org'],
      ingest: ['*******6625', '************0133', 'w***@example.org'],
    });
    // Without the header the API answers as FIELD_MASKS says (the role matrix above).
    const viaApi = await trpcGet('reviewer', false);
    expect(viaApi.payload.national_id).toBe('QX-40196625');
    expect(viaApi.explanation.fields?.find((f) => f.field === 'national_id')?.left ?? null).not.toMatch(
      /^\*/,
    );

    // Reveal over REST: whoever may read a person's record (reviewer level), recorded per call.
    const reveal = async (role: UserRole | null, body: unknown) =>
      fetch(`${server.url}/api/v1/reveals`, {
        method: 'POST',
        headers: {
          ...(role ? { authorization: `Bearer ${await server.tokenFor(role)}` } : {}),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const before = await tdb.db
      .selectFrom('access_records')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const statuses: Record<string, number> = {};
    for (const role of USER_ROLES) {
      const res = await reveal(role, { recordId: viaApi.id, field: 'phone', reason: `matrix ${role}` });
      statuses[role] = res.status;
      if (res.status === 200) expect(await res.json()).toEqual({ field: 'phone', value: '+44 20 7946 0133' });
    }
    expect(statuses).toEqual({ admin: 200, operator: 200, reviewer: 200, ingest: 403 });
    expect((await reveal(null, { recordId: viaApi.id, field: 'phone' })).status).toBe(401);
    const golden = await reveal('reviewer', { customerId: viaApi.decision.goldenId, field: 'national_id' });
    expect(await golden.json()).toEqual({ field: 'national_id', value: 'QX-40196625' });
    for (const bad of [
      { field: 'phone' },
      { recordId: viaApi.id, customerId: viaApi.decision.goldenId, field: 'phone' },
      { recordId: viaApi.id, field: 'given_name' },
      { recordId: 'nope', field: 'phone' },
    ]) {
      const res = await reveal('reviewer', bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST.INVALID');
    }
    const unknown = await reveal('reviewer', {
      recordId: '00000000-0000-4000-8000-000000000000',
      field: 'phone',
    });
    expect(unknown.status).toBe(404);
    const trail = await tdb.db
      .selectFrom('access_records')
      .select(['username', 'role', 'action', 'subject_id', 'reason'])
      .where('id', '>', String(before.id ?? '0'))
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      ...(['admin', 'operator', 'reviewer'] as const).map((role) => ({
        username: role === 'admin' ? 'admin' : `${role}-user`,
        role,
        action: 'access.reveal.phone',
        subject_id: viaApi.id,
        reason: `matrix ${role}`,
      })),
      {
        username: 'reviewer-user',
        role: 'reviewer',
        action: 'access.reveal.national_id',
        subject_id: viaApi.decision.goldenId,
        reason: null,
      },
    ]);
  });

  it('masks contact phones for every role on the dashboard; Reveal of a contact is by role and recorded', async () => {
    // A contact of /identify sharing m-1's phone and email: its family shows that golden record beside it.
    const identified = await fetch(`${server.url}/api/v1/identify`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await server.tokenFor('ingest')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ email: 'wilhelmina.q@example.org', phoneNumber: '+44 20 7946 0133' }),
    });
    expect(identified.status).toBe(200);
    const { contact } = (await identified.json()) as { contact: { primaryContatctId: number } };
    const contactId = contact.primaryContatctId;
    const record = await tdb.db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .limit(1)
      .executeTakeFirstOrThrow();
    const call = async (role: UserRole, path: string, input: object, dashboard = true) => {
      const res = await fetch(
        `${server.url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`,
        {
          headers: {
            authorization: `Bearer ${await server.tokenFor(role)}`,
            ...(dashboard ? { [DASHBOARD_HEADER]: '1' } : {}),
          },
        },
      );
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: { data: unknown } }).result.data;
    };
    type Family = {
      answer: { emails: string[]; phoneNumbers: string[] };
      primary: { email: string | null; phoneNumber: string | null };
      goldenRecords: Array<{ goldenId: string; sharedBy: string; value: string }>;
    };
    const seen: Record<string, unknown> = {};
    for (const role of ['admin', 'operator', 'reviewer'] as const) {
      const [found] = (await call(role, 'contacts.find', {
        phoneNumber: '+44 20 7946 0133',
        reason: 'support call',
      })) as Family[];
      const got = (await call(role, 'contacts.get', { contactId })) as Family;
      const beside = (await call(role, 'contacts.ofGoldenRecord', { goldenId: record.golden_id })) as Array<
        Family['answer']
      >;
      seen[role] = {
        phone: [found!.primary.phoneNumber, got.primary.phoneNumber, ...found!.answer.phoneNumbers],
        email: [found!.primary.email, got.answer.emails[0]],
        beside: beside.map((b) => [b.phoneNumbers, b.emails]),
        shared: found!.goldenRecords.map((g) => [g.sharedBy, g.value]).sort(),
      };
      // No full phone anywhere in the answers, whatever shape it was written in.
      for (const answer of [found, got, beside]) {
        const text = JSON.stringify(answer);
        expect(text).not.toContain('7946 0133');
        expect(text).not.toContain('79460133');
      }
    }
    const phone = '************0133';
    const normalisedPhone = '*********0133';
    const full = 'wilhelmina.q@example.org';
    const masked = 'w***@example.org';
    const expected = (email: string) => ({
      phone: [phone, phone, phone],
      email: [email, email],
      beside: [[[phone], [email]]],
      shared: [
        ['email', email],
        ['phone', normalisedPhone],
      ],
    });
    expect(seen).toEqual({ admin: expected(full), operator: expected(masked), reviewer: expected(full) });
    // Without the header a reviewer reads the contact as FIELD_MASKS says: in full.
    const viaApi = (await call('reviewer', 'contacts.get', { contactId }, false)) as Family;
    expect(viaApi.primary.phoneNumber).toBe('+44 20 7946 0133');

    const reveal = async (role: UserRole | null, body: unknown) =>
      fetch(`${server.url}/api/v1/reveals`, {
        method: 'POST',
        headers: {
          ...(role ? { authorization: `Bearer ${await server.tokenFor(role)}` } : {}),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      });
    const before = await tdb.db
      .selectFrom('access_records')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const statuses: Record<string, number> = {};
    for (const role of USER_ROLES) {
      const res = await reveal(role, { contactId, field: 'phone', reason: `contact ${role}` });
      statuses[role] = res.status;
      if (res.status === 200) expect(await res.json()).toEqual({ field: 'phone', value: '+44 20 7946 0133' });
    }
    expect(statuses).toEqual({ admin: 200, operator: 200, reviewer: 200, ingest: 403 });
    expect((await reveal(null, { contactId, field: 'phone' })).status).toBe(401);
    for (const bad of [
      { contactId, field: 'national_id' },
      { contactId: String(contactId), field: 'phone' },
      { contactId: 0, field: 'phone' },
      { contactId: 2_147_483_648, field: 'phone' },
      { contactId, customerId: record.golden_id, field: 'phone' },
    ]) {
      const res = await reveal('reviewer', bad);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST.INVALID');
    }
    expect((await reveal('reviewer', { contactId: 2_147_483_647, field: 'phone' })).status).toBe(404);
    // Over tRPC too, through the same revealAndRecord.
    const client = createNexusClient(server.url, await server.tokenFor('reviewer'));
    try {
      expect(await client.trpc.access.reveal.mutate({ contactId, field: 'email' })).toEqual({
        field: 'email',
        value: 'wilhelmina.q@example.org',
      });
    } finally {
      await client.close();
    }
    const trail = await tdb.db
      .selectFrom('access_records')
      .select(['username', 'role', 'action', 'subject_type', 'subject_id', 'customer_ids', 'reason'])
      .where('id', '>', String(before.id ?? '0'))
      .orderBy('id')
      .execute();
    expect(trail).toEqual([
      ...(['admin', 'operator', 'reviewer'] as const).map((role) => ({
        username: role === 'admin' ? 'admin' : `${role}-user`,
        role,
        action: 'access.reveal.phone',
        subject_type: 'reveal',
        subject_id: String(contactId),
        customer_ids: [record.golden_id],
        reason: `contact ${role}`,
      })),
      {
        username: 'reviewer-user',
        role: 'reviewer',
        action: 'access.reveal.email',
        subject_type: 'reveal',
        subject_id: String(contactId),
        customer_ids: [record.golden_id],
        reason: null,
      },
    ]);
  });

  it('masks values the way the mapping says, whatever their length', () => {
    expect(maskValue('19876625', 'last4')).toBe('*****6625');
    expect(maskValue('6625', 'last4')).toBe('*****');
    expect(maskValue('a@b.c', 'email')).toBe('a***@b.c');
    expect(maskValue('no-at-sign', 'email')).toBe('**********');
    expect(maskValue('QX-1', 'full')).toBe('QX-1');
  });

  it('writes no personal value into any log line at debug level', async () => {
    const token = await server.tokenFor('reviewer');
    const reviewer = createNexusClient(server.url, token);
    try {
      await reviewer.trpc.customers.search.query({ name: 'Wilhelmina Quarterfield', reason: 'log check' });
      await expect(reviewer.trpc.customers.search.query({ name: 'Wilhelmina' })).rejects.toThrow();
    } finally {
      await reviewer.close();
    }
    // A request the server refuses, with values in it, is logged without them.
    await fetch(`${server.url}/api/v1/records`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await server.tokenFor('ingest')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        source: '',
        records: [{ given_name: 'Wilhelmina', national_id: 'QX-40196625' }],
      }),
    });
    // The server's own redaction, should a payload ever be passed to a log call.
    const probe: string[] = [];
    const probeSink = new Writable({
      write(chunk: Buffer, _enc, done) {
        probe.push(chunk.toString('utf8'));
        done();
      },
    });
    pino({ redact: LOG_REDACTION }, probeSink).info(
      { record: people[0], job: { payload: people[1] } },
      'probe',
    );
    expect(probe.join('')).not.toContain('Wilhelmina');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('"level":20'))).toBe(true);
    const leaks = lines.flatMap((line) =>
      VALUES.filter((v) => line.toLowerCase().includes(v.toLowerCase())).map(
        (v) => `${v}: ${line.slice(0, 300)}`,
      ),
    );
    expect(leaks).toEqual([]);
  });
});
