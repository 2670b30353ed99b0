import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { pendingCount, waitUntil } from '../../../test/engineHarness';
import { startTestServer, type TestServer } from '../../../test/serverHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import { generatePopulation, makePerson, prng } from '../src/generate/syntheticPeople';
import { submitBatch } from '../src/ingest/submitBatch';
import { createNexusClient } from '../src/client/createNexusClient';
import { resolveReviewCase } from '../src/review/resolveCase';

async function decide(
  server: TestServer,
  db: TestDatabase['db'],
  source: string,
  records: CanonicalRecord[],
) {
  await submitBatch(db, server.nexus.engine.bus.partitions, { source, records });
  server.nexus.engine.relay.kick();
  await waitUntil(`${source} is decided`, async () => (await pendingCount(db)) === 0, 120_000);
}

const versions = (db: TestDatabase['db']) =>
  db.selectFrom('model_versions').selectAll().orderBy('id').execute();

describe('the server retrains its model by itself', () => {
  let tdb: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startTestServer(tdb, {
      NEXUS_RETRAIN_FIRST_RECORDS: '200',
      NEXUS_RETRAIN_GROWTH_FACTOR: '2',
      NEXUS_RETRAIN_INTERVAL_SECONDS: '1',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });

  it('after the first N decided records, and again once the register has doubled; each attempt audited', async () => {
    // 150 people, half twice: about 225 records, past the first 200.
    const first = generatePopulation({ people: 150, dupRate: 0.5, seed: 11, prefix: 'a' });
    await decide(
      server,
      tdb.db,
      'first',
      first.map((p) => p.record),
    );
    await waitUntil('a first retraining', async () =>
      (await versions(tdb.db)).some((v) => v.trigger !== null),
    );
    const [retrained] = (await versions(tdb.db)).filter((v) => v.trigger !== null);
    expect(retrained).toMatchObject({ trigger: 'first_records', kind: 'trained' });
    expect(retrained!.record_count).toBeGreaterThanOrEqual(200);
    expect(retrained!.verdict).toMatch(/^(accepted|rejected)$/);
    expect(retrained!.active).toBe(retrained!.verdict === 'accepted');
    const evaluation = retrained!.evaluation as unknown as {
      candidate: { cases: number };
      active: { cases: number };
    };
    expect(evaluation.candidate.cases).toBeGreaterThan(0);
    expect(evaluation.active.cases).toBe(evaluation.candidate.cases);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity_type', '=', 'model')
      .where('entity_id', '=', String(retrained!.id))
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor).toBe('system');
    expect(audit[0]!.action).toBe(
      `model.retrained_and_${retrained!.verdict === 'accepted' ? 'activated' : 'rejected'}`,
    );

    // Not again until the register has doubled.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect((await versions(tdb.db)).filter((v) => v.trigger !== null)).toHaveLength(1);
    const more = generatePopulation({ people: 200, dupRate: 0.5, seed: 12, prefix: 'b' });
    await decide(
      server,
      tdb.db,
      'second',
      more.map((p) => p.record),
    );
    await waitUntil('a retraining on growth', async () =>
      (await versions(tdb.db)).some((v) => v.trigger === 'growth'),
    );
    const growth = (await versions(tdb.db)).find((v) => v.trigger === 'growth')!;
    expect(growth.record_count).toBeGreaterThanOrEqual(2 * retrained!.record_count!);
  }, 240_000);
});

/**
 * People who moved: registered again with a new address, phone and email, and a typo in the
 * given name. The engine asks a person about most of them, and reviewers say: the same person.
 * The rest of the register is people whose duplicates keep their address and phone, so EM learns
 * that a person's address and phone never change, and the retrained model calls every one of
 * the movers someone new: worse on exactly the verdicts the reviewers gave.
 */
function movers(people: number, seed: number): CanonicalRecord[] {
  const rnd = prng(seed);
  const out: CanonicalRecord[] = [];
  for (let i = 0; i < people; i++) {
    const before = makePerson(rnd, i).record;
    const after = makePerson(rnd, i + people).record;
    const { national_id: _id, ...moved } = before;
    out.push({ ...before, external_id: `m${i}a`, attributes: {} });
    out.push({
      ...moved,
      given_name: `${before.given_name!.slice(0, -1)}x`,
      phone: after.phone,
      email: after.email,
      street_number: after.street_number,
      street: after.street,
      city: after.city,
      postcode: after.postcode,
      external_id: `m${i}b`,
      attributes: {},
    });
  }
  return out;
}

describe('a retrained model worse on the held-back sample', () => {
  let tdb: TestDatabase;
  let server: TestServer;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    server = await startTestServer(tdb);
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await tdb?.drop();
  });

  it('is stored rejected and stays inactive; the workers keep deciding with the active model', async () => {
    const register = generatePopulation({ people: 300, dupRate: 0.5, seed: 21, prefix: 's' });
    const moved = movers(40, 31);
    // The first registrations before the moves, as time would have it.
    await decide(server, tdb.db, 'register', [
      ...register.map((p) => p.record),
      ...moved.filter((_, i) => i % 2 === 0),
    ]);
    await decide(
      server,
      tdb.db,
      'moves',
      moved.filter((_, i) => i % 2 === 1),
    );
    const open = await tdb.db
      .selectFrom('review_cases as c')
      .innerJoin('records as r', 'r.id', 'c.record_id')
      .select('c.id')
      .where('c.status', '=', 'open')
      .where('r.source', '=', 'moves')
      .execute();
    expect(open.length).toBeGreaterThanOrEqual(10);
    for (const c of open) {
      const [candidate] = await tdb.db
        .selectFrom('review_case_candidates')
        .select('golden_id')
        .where('case_id', '=', c.id)
        .orderBy('score', 'desc')
        .execute();
      await resolveReviewCase(
        tdb.db,
        c.id,
        { resolution: 'same_as', goldenId: candidate!.golden_id, reason: 'moved house' },
        'reviewer-1',
      );
    }
    const activeBefore = (await versions(tdb.db)).find((v) => v.active)!;

    const res = await fetch(`${server.url}/api/v1/models/retrain`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await server.tokenFor('admin')}` },
    });
    expect(res.status).toBe(201);
    const report = (await res.json()) as {
      versionId: number;
      accepted: boolean;
      check: {
        reason: string;
        candidate: { reviewer: { cases: number; missedLinks: number } };
        active: { reviewer: { cases: number; missedLinks: number } };
      };
    };
    expect(report.accepted).toBe(false);
    expect(report.check.candidate.reviewer.cases).toBeGreaterThanOrEqual(open.length);
    expect(report.check.candidate.reviewer.missedLinks).toBeGreaterThan(
      report.check.active.reviewer.missedLinks,
    );
    expect(report.check.reason).toMatch(/left apart/);
    const rows = await versions(tdb.db);
    expect(rows.find((v) => v.id === report.versionId)).toMatchObject({
      active: false,
      verdict: 'rejected',
      trigger: 'on_demand',
    });
    expect(rows.find((v) => v.active)!.id).toBe(activeBefore.id);
    const audit = await tdb.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('entity_type', '=', 'model')
      .where('entity_id', '=', String(report.versionId))
      .execute();
    expect(audit).toEqual([{ actor: 'admin', action: 'model.retrained_and_rejected' }]);

    // The workers poll the active version every few seconds: still the one before.
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const later = generatePopulation({ people: 10, dupRate: 0, seed: 41, prefix: 'l' });
    await decide(
      server,
      tdb.db,
      'later',
      later.map((p) => p.record),
    );
    const decided = await tdb.db
      .selectFrom('records')
      .select('model_version')
      .where('source', '=', 'later')
      .execute();
    expect(decided.map((r) => r.model_version)).toEqual(decided.map(() => activeBefore.id));
  }, 240_000);

  it('retrains on demand for admins only, over REST and tRPC', async () => {
    for (const role of ['operator', 'reviewer', 'ingest'] as const) {
      const res = await fetch(`${server.url}/api/v1/models/retrain`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await server.tokenFor(role)}` },
      });
      expect(res.status).toBe(403);
      const client = createNexusClient(server.url, await server.tokenFor(role));
      await expect(client.trpc.models.retrain.mutate()).rejects.toMatchObject({
        data: { code: 'FORBIDDEN' },
      });
      await client.close();
    }
    const before = (await versions(tdb.db)).length;
    const admin = createNexusClient(server.url, await server.tokenFor('admin'));
    const report = await admin.trpc.models.retrain.mutate();
    await admin.close();
    expect(report.trigger).toBe('on_demand');
    expect(await versions(tdb.db)).toHaveLength(before + 1);
    // Operators see the versions, with the figures of the check and which one is active.
    const operator = createNexusClient(server.url, await server.tokenFor('operator'));
    const listed = await operator.trpc.models.versions.query();
    await operator.close();
    expect(listed[0]).toMatchObject({ id: report.versionId, trigger: 'on_demand' });
    expect(listed.filter((v) => v.status === 'active')).toHaveLength(1);
    expect(listed.some((v) => v.status === 'rejected')).toBe(true);
  }, 120_000);
});
