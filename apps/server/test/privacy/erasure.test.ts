import { Writable } from 'node:stream';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AbisClient, createSearchClient, type SearchClient } from '@nexus/actors';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { loadConfig } from '../../src/config';
import { startNexus, type RunningNexus } from '../../src/server';
import { ADMIN_PASSWORD, TEST_JWT_SECRET } from '../../../../test/serverHarness';
import { freshIndexName } from '../../../../test/searchHarness';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { addUser } from '../../src/users/usersService';
import { faceDataUrl } from '../biometrics/faces';

/**
 * Issue 18, "done means": a batch through a real server (HTTP, engine, Tech5 simulator, and
 * Elasticsearch when the run has one), one person erased, then every column of every table, the
 * search index, the simulator's gallery and the server's logs searched for their values: none
 * found. The same person registering again is a new person.
 */

const FACE = faceDataUrl({ family: 4242, member: 0 }, 1);
const ZENOBIA = {
  given_name: 'Zenobia',
  family_name: 'Quillfeather',
  date_of_birth: '1985-02-14',
  gender: 'F',
  national_id: 'QX938274615',
  phone: '+44 7700 900123',
  email: 'zenobia.quillfeather@example.org',
  street: 'Marigold Crescent',
  city: 'Thistlewick',
  postcode: 'TW9 4QZ',
};
const zenobia = (externalId: string, extra: Record<string, string> = {}) => ({
  external_id: externalId,
  ...ZENOBIA,
  ...extra,
});
/** Her values in every form Nexus may keep them: as given, folded, digits only. */
const ERASED_VALUES = [
  'Zenobia',
  'Quillfeather',
  'QX938274615',
  '938274615',
  '7700900123',
  '7700 900123',
  'zenobia.quillfeather',
  'Marigold',
  'Thistlewick',
  'TW9 4QZ',
  'TW94QZ',
  '1985-02-14',
  '19850214',
  'zq-rec-1',
  'zq-rec-2',
  FACE.slice(60, 140),
];
const OTHERS = [
  {
    external_id: 'other-1',
    given_name: 'Bartholomew',
    family_name: 'Ostrander',
    date_of_birth: '1970-07-07',
    national_id: 'BO1122334',
    city: 'Leeds',
  },
  {
    external_id: 'pw-1',
    given_name: 'Philippa',
    family_name: 'Wexford',
    date_of_birth: '1991-11-30',
    national_id: 'PW5566778',
    email: 'philippa.wexford@example.net',
    city: 'York',
  },
  {
    external_id: 'pw-2',
    given_name: 'Philippa',
    family_name: 'Wexford',
    date_of_birth: '1991-11-30',
    national_id: 'PW5566778',
    city: 'York',
  },
];

type ApiBody = Record<string, unknown> & { error?: { code?: string } };
interface ExportedRecord {
  recordId: string;
  payload: unknown;
  normalised: unknown;
  decision: { status: string; rule: string | null; explanation: unknown };
}

describe('erasure leaves no personal value anywhere', () => {
  let tdb: TestDatabase;
  let sim: Tech5Simulator;
  let nexus: RunningNexus;
  let url: string;
  let admin: string;
  let search: { client: SearchClient; index: string } | null = null;
  const logLines: string[] = [];
  const humanLines: string[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase();
    sim = await startTech5Simulator({ host: '127.0.0.1', port: 0 });
    const es = inject('elasticsearchUrl');
    const index = freshIndexName();
    if (es) search = { client: createSearchClient(es, { requestTimeoutMs: 30_000 }), index };
    const config = loadConfig({
      DATABASE_URL: tdb.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'debug',
      NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
      NEXUS_JWT_SECRET: TEST_JWT_SECRET,
      NEXUS_PARTITIONS: '2',
      NEXUS_WORKERS: '1',
      NEXUS_WORKER_CONCURRENCY: '2',
      NEXUS_BATCH_SIZE: '4',
      NEXUS_CONSUMER_GROUP: 'nexus-erasure',
      NEXUS_ROLLUP_INTERVAL_SECONDS: '0',
      TECH5_LDS_URL: sim.ldsUrl,
      TECH5_ABIS_URL: sim.abisUrl,
      ...(es ? { ELASTICSEARCH_URL: es, NEXUS_SEARCH_INDEX: index } : {}),
    });
    // Every structured log line, at the most talkative level, is kept to be searched.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString('utf8'));
        done();
      },
    });
    nexus = await startNexus(config, (line) => humanLines.push(line), undefined, {
      logger: pino({ level: 'debug' }, sink),
    });
    url = nexus.http.url;
    admin = await login('admin', ADMIN_PASSWORD);
  }, 120_000);

  afterAll(async () => {
    await nexus?.shutdown.shutdown();
    await sim?.close();
    await search?.client.close();
    await tdb?.drop();
  });

  async function login(username: string, password: string): Promise<string> {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function call(method: string, path: string, body?: unknown, token = admin) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as ApiBody };
  }

  async function submitAndWait(records: unknown[]) {
    const sent = await call('POST', '/api/v1/records', { source: 'registry', records });
    expect(sent.status).toBe(202);
    for (let i = 0; i < 300; i++) {
      const got = await call('GET', `/api/v1/batches/${sent.body.batchId as string}`);
      if (got.body.status === 'completed') return sent.body.batchId as string;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the batch was not decided');
  }

  const goldenOf = async (externalId: string) =>
    await tdb.db
      .selectFrom('records as r')
      .innerJoin('golden_record_members as m', 'm.record_id', 'r.id')
      .select(['r.id', 'm.golden_id'])
      .where('r.external_id', '=', externalId)
      .executeTakeFirstOrThrow();

  /** Every (table, column) of the schema whose text form contains one of the values. */
  async function findEverywhere(values: readonly string[]): Promise<string[]> {
    const columns = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'
      order by c.table_name, c.ordinal_position`.execute(tdb.db);
    expect(columns.rows.length).toBeGreaterThan(50);
    const patterns = values.map((v) => `%${v.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const found: string[] = [];
    for (const { table_name, column_name } of columns.rows) {
      const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table_name)}
        where ${sql.ref(column_name)}::text ilike any(${patterns}::text[])`.execute(tdb.db);
      if (Number(rows[0]!.n) > 0) found.push(`${table_name}.${column_name}`);
    }
    return found;
  }

  let zenobiaGolden: string;
  let zenobiaRecords: string[];
  let referencesBefore: number;

  it('decides a batch with the person twice (one face), others, and an /identify contact', async () => {
    await submitAndWait([zenobia('zq-rec-1', { face_image: FACE }), zenobia('zq-rec-2'), ...OTHERS]);
    const first = await goldenOf('zq-rec-1');
    const second = await goldenOf('zq-rec-2');
    expect(second.golden_id).toBe(first.golden_id);
    zenobiaGolden = first.golden_id;
    zenobiaRecords = [first.id, second.id].sort();
    const contact = await call('POST', '/api/v1/identify', {
      email: ZENOBIA.email,
      phoneNumber: ZENOBIA.phone,
    });
    expect(contact.status).toBe(200);
    await call('POST', '/api/v1/identify', { email: 'someone.else@example.com' });
    // She is everywhere before: the search below can find her (it is not blind).
    const before = await findEverywhere(ERASED_VALUES);
    expect(before).toEqual(
      expect.arrayContaining([
        'records.payload',
        'records.normalised',
        'golden_records.best',
        'contacts.email',
      ]),
    );
    referencesBefore = sim.stats().references;
    expect(referencesBefore).toBeGreaterThanOrEqual(1);
  });

  it('exports everything held about her, as the tables hold it', async () => {
    const res = await call('GET', `/api/v1/people/${zenobiaGolden}/export`);
    expect(res.status).toBe(200);
    const doc = res.body;
    const records = await tdb.db
      .selectFrom('records')
      .selectAll()
      .where('id', 'in', zenobiaRecords)
      .orderBy('id')
      .execute();
    const exported = [...(doc.records as ExportedRecord[])].sort((a, b) =>
      String(a.recordId).localeCompare(String(b.recordId)),
    );
    expect(exported.map((r) => r.recordId)).toEqual(records.map((r) => r.id));
    exported.forEach((r, i) => {
      const row = records[i]!;
      expect(r.payload).toEqual(row.payload);
      expect(r.normalised).toEqual(row.normalised);
      expect(r.decision.status).toBe(row.status);
      expect(r.decision.rule).toBe(row.decision_rule);
      expect(r.decision.explanation).toEqual(row.explanation);
    });
    const golden = await tdb.db
      .selectFrom('golden_records')
      .selectAll()
      .where('id', '=', zenobiaGolden)
      .executeTakeFirstOrThrow();
    expect(doc.goldenRecord).toMatchObject({ id: golden.id, best: golden.best, memberCount: 2 });
    const history = await tdb.db
      .selectFrom('audit_log')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('record_id', 'in', zenobiaRecords),
          eb.and([eb('entity_type', '=', 'golden_record'), eb('entity_id', '=', zenobiaGolden)]),
        ]),
      )
      // The export's own entry is written after the document was read.
      .where('action', '<>', 'golden_record.exported')
      .orderBy('id')
      .execute();
    expect((doc.history as Array<{ id: string }>).map((h) => h.id)).toEqual(history.map((h) => String(h.id)));
    const faces = await tdb.db
      .selectFrom('biometric_references')
      .select('reference_id')
      .where('reference_id', 'in', zenobiaRecords)
      .execute();
    expect(faces.length).toBe(1);
    expect((doc.faceReferences as Array<{ referenceId: string }>).map((f) => f.referenceId)).toEqual(
      faces.map((f) => f.reference_id),
    );
    const contacts = await tdb.db
      .selectFrom('contacts')
      .select(['id', 'email'])
      .where('email_key', '=', ZENOBIA.email)
      .execute();
    expect(contacts.length).toBe(1);
    expect((doc.contacts as Array<{ id: number; email: string }>).map((c) => c.email)).toEqual([
      ZENOBIA.email,
    ]);
    // Every value she gave is in the document.
    const text = JSON.stringify(doc);
    for (const v of Object.values(ZENOBIA)) expect(text).toContain(v);
    expect(text).toContain(FACE);
    expect(text).not.toContain('Ostrander');
  });

  it('answers a dry run with what would go, and changes nothing', async () => {
    const keysBefore = await tdb.db
      .selectFrom('blocking_keys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    const res = await call('POST', '/api/v1/erasures', {
      customerId: zenobiaGolden,
      reason: 'data subject request 2026-118',
      dryRun: true,
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      dryRun: true,
      erasureId: null,
      customerId: zenobiaGolden,
      goldenRecords: [{ goldenId: zenobiaGolden, outcome: 'erased', membersLeft: 0 }],
    });
    expect((res.body.records as Array<{ recordId: string }>).map((r) => r.recordId).sort()).toEqual(
      zenobiaRecords,
    );
    expect(res.body.faceReferences).toHaveLength(1);
    expect(res.body.contacts).toHaveLength(1);
    expect(res.body.blockingKeys).toBeGreaterThan(0);
    const keysAfter = await tdb.db
      .selectFrom('blocking_keys')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(keysAfter.n).toBe(keysBefore.n);
    expect(await findEverywhere(['Quillfeather'])).toContain('records.payload');
    expect(sim.stats().references).toBe(referencesBefore);
  });

  it('erases her: no value in any column of any table, the index, the gallery or the logs', async () => {
    const res = await call('POST', '/api/v1/erasures', {
      customerId: zenobiaGolden,
      reason: 'data subject request 2026-118',
    });
    expect(res.status).toBe(201);
    expect(res.body.erasureId).toEqual(expect.any(String));
    expect(res.body.contactsErased).toHaveLength(1);

    expect(await findEverywhere(ERASED_VALUES)).toEqual([]);

    // The tombstone: ids, dates, decisions, the fact and reason of the erasure; counts stay true.
    const tombstones = await tdb.db
      .selectFrom('records')
      .selectAll()
      .where('id', 'in', zenobiaRecords)
      .execute();
    expect(tombstones).toHaveLength(2);
    for (const t of tombstones) {
      expect(t.erased_at).not.toBeNull();
      expect(['new', 'linked']).toContain(t.status);
      expect(t.payload).toEqual({});
    }
    const golden = await tdb.db
      .selectFrom('golden_records')
      .selectAll()
      .where('id', '=', zenobiaGolden)
      .executeTakeFirstOrThrow();
    expect(golden).toMatchObject({ status: 'erased', best: {}, member_count: 0 });
    const erasure = await tdb.db.selectFrom('erasures').selectAll().executeTakeFirstOrThrow();
    expect(erasure).toMatchObject({
      reason: 'data subject request 2026-118',
      requested_by: 'admin',
      customer_id: zenobiaGolden,
    });
    expect([...erasure.record_ids].sort()).toEqual(zenobiaRecords);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select('action')
      .where('record_id', 'in', zenobiaRecords)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(['golden_record.created', 'golden_record.linked', 'record.erased']),
    );

    // ABIS: the reference is deleted (MOSIP delete), and her face finds nobody of hers.
    expect(sim.stats().references).toBe(referencesBefore - 1);
    const abis = new AbisClient(sim.abisUrl);
    expect(await abis.identify({ referenceUrl: FACE, gallery: zenobiaRecords })).toEqual([]);
    const hits = await abis.identify({ referenceUrl: FACE });
    expect(hits.filter((h) => zenobiaRecords.includes(h.referenceId))).toEqual([]);

    // Elasticsearch, when this run has it: her golden record's document is gone, no value is left.
    if (search) {
      let text = '';
      for (let i = 0; i < 100; i++) {
        await search.client.indices.refresh({ index: search.index });
        const all = await search.client.search({
          index: search.index,
          size: 10_000,
          query: { match_all: {} },
        });
        const ids = all.hits.hits.map((h) => h._id);
        text = JSON.stringify(all.hits.hits).toLowerCase();
        if (!ids.includes(zenobiaGolden) && ids.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const v of ERASED_VALUES) expect(text).not.toContain(v.toLowerCase());
      expect(text).toContain('ostrander');
    }

    // The server's logs, structured and human, at debug level.
    const logs = [...logLines, ...humanLines].join('\n').toLowerCase();
    expect(logLines.length).toBeGreaterThan(5);
    for (const v of ERASED_VALUES) expect(logs).not.toContain(v.toLowerCase());
  });

  it('makes her a new person when she registers again', async () => {
    await submitAndWait([zenobia('zq-rec-1', { face_image: FACE }), zenobia('zq-rec-2')]);
    const again = await goldenOf('zq-rec-1');
    const twice = await goldenOf('zq-rec-2');
    expect(again.golden_id).not.toBe(zenobiaGolden);
    expect(twice.golden_id).toBe(again.golden_id);
    expect(zenobiaRecords).not.toContain(again.id);
    const fresh = await tdb.db
      .selectFrom('records')
      .select('status')
      .where('id', '=', again.id)
      .executeTakeFirstOrThrow();
    const golden = await tdb.db
      .selectFrom('golden_records')
      .select(['status', 'member_count'])
      .where('id', '=', again.golden_id)
      .executeTakeFirstOrThrow();
    expect(['new', 'linked']).toContain(fresh.status);
    expect(golden).toEqual({ status: 'active', member_count: 2 });
    const old = await tdb.db
      .selectFrom('golden_records')
      .select('status')
      .where('id', '=', zenobiaGolden)
      .executeTakeFirstOrThrow();
    expect(old.status).toBe('erased');
  });

  it('erases one record of a person: the golden record is re-settled from the member left', async () => {
    const withEmail = await goldenOf('pw-1');
    const without = await goldenOf('pw-2');
    expect(without.golden_id).toBe(withEmail.golden_id);
    const before = await tdb.db
      .selectFrom('golden_records')
      .select('best')
      .where('id', '=', withEmail.golden_id)
      .executeTakeFirstOrThrow();
    expect(before.best.email).toBe('philippa.wexford@example.net');
    const res = await call('POST', '/api/v1/erasures', {
      recordIds: [withEmail.id],
      reason: 'erasure request by the person',
    });
    expect(res.status).toBe(201);
    expect(res.body.goldenRecords).toEqual([
      { goldenId: withEmail.golden_id, outcome: 'resettled', membersLeft: 1 },
    ]);
    const after = await tdb.db
      .selectFrom('golden_records')
      .selectAll()
      .where('id', '=', withEmail.golden_id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'active', member_count: 1 });
    expect(after.best.email).toBeUndefined();
    expect(after.best.given_name).toBe('Philippa');
    expect(await findEverywhere(['philippa.wexford', 'pw-1'])).toEqual([]);
    const primary = await tdb.db
      .selectFrom('golden_record_members')
      .select(['record_id', 'precedence'])
      .where('golden_id', '=', withEmail.golden_id)
      .execute();
    expect(primary).toEqual([{ record_id: without.id, precedence: 'primary' }]);
  });

  it('refuses bad requests with stable codes, and non-admins', async () => {
    const cases: Array<[unknown, number, string]> = [
      [{ reason: 'no target' }, 400, 'REQUEST.INVALID'],
      [{ customerId: zenobiaGolden, recordIds: [zenobiaRecords[0]], reason: 'both' }, 400, 'REQUEST.INVALID'],
      [{ customerId: 'not-a-uuid', reason: 'bad id' }, 400, 'REQUEST.INVALID'],
      [{ customerId: zenobiaGolden }, 400, 'REQUEST.INVALID'],
      [{ customerId: zenobiaGolden, reason: 'x' }, 400, 'REQUEST.INVALID'],
      [{ recordIds: [], reason: 'empty list' }, 400, 'REQUEST.INVALID'],
      [
        { recordIds: Array.from({ length: 1001 }, () => zenobiaRecords[0]), reason: 'too many' },
        400,
        'REQUEST.INVALID',
      ],
      [{ customerId: zenobiaGolden, reason: 'again', extra: 1 }, 400, 'REQUEST.INVALID'],
      [{ customerId: zenobiaGolden, reason: 'already erased' }, 409, 'ERASURE.CUSTOMER_ERASED'],
      [{ recordIds: [zenobiaRecords[0]], reason: 'already erased' }, 409, 'ERASURE.ALREADY_ERASED'],
      [
        { recordIds: ['00000000-0000-4000-8000-000000000000'], reason: 'unknown' },
        404,
        'ERASURE.RECORD_NOT_FOUND',
      ],
      [{ customerId: '00000000-0000-4000-8000-000000000000', reason: 'unknown' }, 404, 'CUSTOMER.NOT_FOUND'],
    ];
    for (const [body, status, code] of cases) {
      const res = await call('POST', '/api/v1/erasures', body);
      expect({ body, status: res.status, code: res.body.error?.code }).toEqual({ body, status, code });
    }
    await addUser(nexus.db, { username: 'rev', role: 'reviewer', password: 'reviewer-password-1' }, 'test');
    const reviewer = await login('rev', 'reviewer-password-1');
    const refused = await call(
      'POST',
      '/api/v1/erasures',
      { customerId: zenobiaGolden, reason: 'not mine', dryRun: true },
      reviewer,
    );
    expect(refused.status).toBe(403);
    const exportRefused = await call('GET', `/api/v1/people/${zenobiaGolden}/export`, undefined, reviewer);
    expect(exportRefused.status).toBe(403);
    const unknown = await call('GET', '/api/v1/people/00000000-0000-4000-8000-000000000000/export');
    expect([unknown.status, unknown.body.error?.code]).toEqual([404, 'CUSTOMER.NOT_FOUND']);
  });
});
