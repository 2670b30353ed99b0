import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { appendAudit, type Db } from '@nexus/actors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvent, PUBLISHED_AUDIT_ACTIONS, type EventEnvelope } from '@nexus/schema';
import { useTestServer } from '../../../../test/serverHarness';
import { pendingCount, waitUntil } from '../../../../test/engineHarness';
import { eventually, WebhookReceiver } from '../../../../test/webhookReceiver';
import { mergeGoldenRecords, splitGoldenRecord } from '../../src/customers/mergeAndSplit';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { submitBatch } from '../../src/ingest/submitBatch';
import { resolveReviewCase } from '../../src/review/resolveCase';
import { claimReviewCase } from '../../src/review/reviewService';

/**
 * Issue 17 item 1 on the embedded defaults (no Kafka): the engine's decisions and the reviewers'
 * and admins' changes come out as one stream, in the log, on webhooks and by long poll, each
 * event with a stable id, a key and a gapless sequence per key; subscriptions filter by source.
 */
/**
 * A case as the engine leaves one (this population has none): a record decided `review` against
 * an existing golden record, with the case and its audit entry written in one transaction.
 */
async function doubtfulCase(db: Db): Promise<{ id: string; record_id: string }> {
  const golden = await db.selectFrom('golden_records').select('id').limit(1).executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    const recordId = randomUUID();
    const caseId = randomUUID();
    await trx
      .insertInto('records')
      .values({
        id: recordId,
        batch_id: null,
        source: 'crm',
        external_id: 'crm-doubtful-1',
        partition: 0,
        payload: JSON.stringify({ external_id: 'crm-doubtful-1', given_name: 'Ann' }) as never,
        status: 'relayed',
      })
      .execute();
    await trx
      .updateTable('records')
      .set({ status: 'review', decision_rule: 'between_thresholds', decided_at: new Date() })
      .where('id', '=', recordId)
      .execute();
    await trx
      .insertInto('review_cases')
      .values({ id: caseId, record_id: recordId, kind: 'possible_match', status: 'open', score: -1 })
      .execute();
    await trx
      .insertInto('review_case_candidates')
      .values({ case_id: caseId, golden_id: golden.id, score: -1, explanation: JSON.stringify({}) as never })
      .execute();
    await appendAudit(trx, [
      {
        actor: 'engine',
        action: 'review_case.opened',
        entity_type: 'review_case',
        entity_id: caseId,
        record_id: recordId,
        before: null,
        after: { status: 'open' },
      },
    ]);
    return { id: caseId, record_id: recordId };
  });
}

describe('one event stream on the Postgres outbox', () => {
  const suite = useTestServer({
    NEXUS_SECRET_KEY: 'a-server-secret-key-for-event-stream-tests',
    NEXUS_WEBHOOK_URL_HOSTS: '127.0.0.1',
    NEXUS_WEBHOOK_RETRY_BASE_MS: '20',
    NEXUS_NOTIFY_POLL_MS: '30',
    NEXUS_WEBHOOK_RETRY_HOURS: '1',
  });
  const everything = new WebhookReceiver();
  const crmOnly = new WebhookReceiver();
  const crm = generatePopulation({ people: 80, dupRate: 0.5, seed: 1701, prefix: 'crm' });
  const benefits = generatePopulation({ people: 40, dupRate: 0.5, seed: 1702, prefix: 'ben' });
  const total = crm.length + benefits.length;

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${suite.server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await suite.server.tokenFor('admin')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const log = async (query = '') => {
    const events: Array<EventEnvelope & { cursor: string }> = [];
    for (let after = '0'; ;) {
      const page = await api('GET', `/api/v1/events?after=${after}&wait=0&limit=1000${query}`);
      const got = page.body.events as typeof events;
      if (got.length === 0) return events;
      events.push(...got);
      after = page.body.cursor as string;
    }
  };
  const settled = () =>
    waitUntil('every record is decided and every event is in the log', async () => {
      if ((await pendingCount(suite.tdb.db)) > 0) return false;
      const n = await suite.tdb.db
        .selectFrom('event_outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n.n) === 0;
    });

  beforeAll(async () => {
    await everything.start();
    await crmOnly.start();
    expect((await api('POST', '/api/v1/webhooks', { url: everything.url, events: ['*'] })).status).toBe(201);
    const filtered = await api('POST', '/api/v1/webhooks', {
      url: crmOnly.url,
      events: ['*'],
      sources: ['crm'],
    });
    expect(filtered.status).toBe(201);
    expect(filtered.body.sources).toEqual(['crm']);
    const partitions = suite.server.nexus.engine.bus.partitions;
    await submitBatch(suite.tdb.db, partitions, { source: 'crm', records: crm.map((p) => p.record) });
    await submitBatch(suite.tdb.db, partitions, {
      source: 'benefits',
      records: benefits.map((p) => p.record),
    });
    suite.server.nexus.engine.relay.kick();
    await settled();
  }, 120_000);
  afterAll(async () => {
    await everything.stop();
    await crmOnly.stop();
  });

  it('tells one record.decided per record, and the golden records and cases the engine made', async () => {
    const events = await log();
    for (const e of events) parseEvent(e);
    const decided = events.filter((e) => e.type === 'record.decided');
    expect(decided).toHaveLength(total);
    expect(new Set(decided.map((e) => e.key)).size).toBe(total);
    const linked = decided.filter((e) => e.data.status === 'linked');
    expect(linked.length).toBeGreaterThan(0);
    // The decision's own transaction wrote the event: it names the golden record it linked to.
    for (const e of linked) expect(e.data.goldenId).toEqual(expect.any(String));
    const types = new Set(events.map((e) => e.type));
    for (const t of ['golden_record.created', 'golden_record.linked', 'golden_record.survivorship_changed'])
      expect(types).toContain(t);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    expect(new Set(decided.map((e) => e.source))).toEqual(new Set(['crm', 'benefits']));
  });

  it('publishes reviewer and admin actions (claim, resolve, merge, split) through the same stream', async () => {
    const db = suite.tdb.db;
    const open = await doubtfulCase(db);
    await claimReviewCase(db, open.id, 'reviewer-ann');
    await resolveReviewCase(
      db,
      open.id,
      { resolution: 'new_person', reason: 'different people' },
      'reviewer-ann',
    );
    const goldens = await sql<{ golden_id: string; n: number }>`
      select golden_id, count(*)::int as n from golden_record_members
      group by golden_id order by count(*) desc, golden_id limit 2`.execute(db);
    const [survivor, merged] = goldens.rows;
    await db.transaction().execute((trx) =>
      mergeGoldenRecords(trx, {
        survivorId: survivor!.golden_id,
        mergedIds: [merged!.golden_id],
        reason: 'same person',
        actor: 'admin-bo',
      }),
    );
    const leaving = await db
      .selectFrom('golden_record_members')
      .select('record_id')
      .where('golden_id', '=', survivor!.golden_id)
      .where('precedence', '=', 'secondary')
      .executeTakeFirstOrThrow();
    const { newGoldenId } = await db.transaction().execute((trx) =>
      splitGoldenRecord(trx, {
        goldenId: survivor!.golden_id,
        recordId: leaving.record_id,
        reason: 'wrong merge',
        actor: 'admin-bo',
      }),
    );
    await settled();
    const events = await log();
    const of = (type: string, key: string) => events.filter((e) => e.type === type && e.key === key);
    expect(of('review_case.opened', open.id)).toHaveLength(1);
    expect(of('review_case.claimed', open.id)).toHaveLength(1);
    expect(of('review_case.resolved', open.id)[0]!.data).toMatchObject({
      actor: 'reviewer-ann',
      after: { resolution: 'new_person' },
    });
    // The reviewer's resolution decided the record a second time: sequence 2 of its key.
    const record = events.filter((e) => e.key === open.record_id && e.type === 'record.decided');
    expect(record.map((e) => [e.sequence, e.data.status])).toEqual([
      [1, 'review'],
      [2, 'new'],
    ]);
    expect(of('golden_record.merged', survivor!.golden_id)[0]!.data).toMatchObject({ actor: 'admin-bo' });
    expect(of('golden_record.merged_into', merged!.golden_id)).toHaveLength(1);
    expect(of('golden_record.split', survivor!.golden_id)).toHaveLength(1);
    expect(of('golden_record.created_by_split', newGoldenId)).toHaveLength(1);
    expect(of('golden_record.survivorship_changed', survivor!.golden_id).length).toBeGreaterThan(0);
    for (const e of events) parseEvent(e);
  });

  it('numbers each key from 1 without gaps, in log order', async () => {
    const events = await log();
    const seen = new Map<string, number[]>();
    for (const e of events) seen.set(e.key, [...(seen.get(e.key) ?? []), e.sequence]);
    for (const [key, sequences] of seen)
      expect({ key, sequences }).toEqual({ key, sequences: sequences.map((_, i) => i + 1) });
  });

  it('delivers every event to a webhook, and to a source-filtered one only that source', async () => {
    const events = await log();
    const crmEvents = events.filter((e) => e.source === 'crm');
    expect(crmEvents.length).toBeGreaterThan(0);
    expect(crmEvents.length).toBeLessThan(events.length);
    await eventually(
      () => expect(new Set(everything.messages().map((m) => m.id)).size).toBe(events.length),
      60_000,
    );
    await eventually(
      () => expect(new Set(crmOnly.messages().map((m) => m.id)).size).toBe(crmEvents.length),
      60_000,
    );
    expect(new Set(everything.messages().map((m) => m.id))).toEqual(new Set(events.map((e) => e.id)));
    expect(new Set(crmOnly.messages().map((m) => m.id))).toEqual(new Set(crmEvents.map((e) => e.id)));
    // The long poll filters the same way.
    const pulled = await log('&source=crm');
    expect(pulled.map((e) => e.id)).toEqual(crmEvents.map((e) => e.id));
    // A webhook body is the envelope the log answers, field for field.
    const one = everything.messages().find((m) => m.id === events[0]!.id)!;
    const { cursor: _cursor, ...envelope } = events[0]!;
    expect(one).toEqual(envelope);
  });

  it('publishes exactly the audit actions events.ts lists (the database trigger agrees)', async () => {
    const staged = await suite.tdb.db
      .transaction()
      .execute(async (trx) => {
        const actions = [
          ...PUBLISHED_AUDIT_ACTIONS,
          'golden_record.exported',
          'user.created',
          'batch.cancelled',
        ];
        await trx
          .insertInto('audit_log')
          .values(
            actions.map((action) => ({
              actor: 'test',
              action,
              entity_type: 'golden_record' as const,
              entity_id: `trigger-check-${action}`,
              record_id: null,
              before: null,
              after: null,
            })),
          )
          .execute();
        const rows = await trx
          .selectFrom('event_outbox')
          .select('type')
          .where('key', 'like', 'trigger-check-%')
          .execute();
        throw Object.assign(new Error('roll back'), { rows });
      })
      .catch((e: { rows: Array<{ type: string }> }) => e.rows);
    expect(staged.map((r) => r.type).sort()).toEqual([...PUBLISHED_AUDIT_ACTIONS].sort());
  });
});
