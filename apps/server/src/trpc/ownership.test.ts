import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { buildOwnershipWorld, SOURCE_A, type OwnershipWorld } from '../../../../test/ownershipWorld';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';
import { addUser } from '../users/usersService';
import { appRouter } from './appRouter';

/**
 * The role matrix (accessControl.test.ts) says which roles may call a procedure; this says whose
 * batches and records they reach. An ingest account reaches only what it submitted; another
 * account's batch or record is NOT_FOUND, exactly as one that does not exist.
 */

/** Procedures an ingest account may call that take or list no batch or record, and why. */
const OWNS_NOTHING: Record<string, string> = {
  'auth.login': 'signs in',
  'auth.refresh': 'renews a token',
  'auth.me': 'the caller itself',
  'auth.changePassword': 'the caller itself',
  'ingest.readUpload': 'reads the uploaded file, stores nothing',
};

/** Procedures an ingest account may call that reach batches or records: each one is probed below. */
const PROBED = [
  'ingest.submitBatch',
  'ingest.stream',
  'batches.list',
  'batches.get',
  'batches.records',
  'batches.cancel',
  'records.get',
  'live.batchProgress',
  'live.activeBatches',
];

interface ProcedureDef {
  _def: { meta?: { level?: string } };
}

/** The error code of a call, or `ok`. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    return (error as { data?: { code?: string } }).data?.code ?? String(error);
  }
}

/** The first event of a subscription (tracked events unwrapped): its data, or its error code. */
function firstEvent<T>(
  subscribe: (handlers: { onData: (d: T | { data: T }) => void; onError: (e: unknown) => void }) => {
    unsubscribe(): void;
  },
): Promise<{ data: T } | { error: string }> {
  return new Promise((resolve) => {
    const sub = subscribe({
      onData: (event) => {
        sub.unsubscribe();
        const tracked =
          typeof event === 'object' && event !== null && !Array.isArray(event) && 'data' in event;
        resolve({ data: tracked ? event.data : (event as T) });
      },
      onError: (e) => resolve({ error: (e as { data?: { code?: string } }).data?.code ?? String(e) }),
    });
  });
}

describe('ownership of batches and records', () => {
  const suite = useTestServer();
  let world: OwnershipWorld;
  let asA: NexusClient;
  let asB: NexusClient;
  let asOperator: NexusClient;
  let asReviewer: NexusClient;

  beforeAll(async () => {
    world = await buildOwnershipWorld(suite.server, suite.tdb);
    asA = createNexusClient(suite.server.url, world.a.apiKey);
    asB = createNexusClient(suite.server.url, world.b.apiKey);
    asOperator = createNexusClient(suite.server.url, world.operatorToken);
    asReviewer = createNexusClient(suite.server.url, world.reviewerToken);
    return async () => {
      await Promise.all([asA, asB, asOperator, asReviewer].map((c) => c.close()));
    };
  });

  it('probes every procedure an ingest account may call that reaches batches or records', () => {
    const procedures = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
    const ingestCalls = Object.entries(procedures)
      .filter(([, p]) => ['public', 'authed', 'ingest'].includes(p._def.meta?.level ?? ''))
      .map(([path]) => path)
      .filter((path) => !(path in OWNS_NOTHING));
    expect(ingestCalls.sort()).toEqual([...PROBED].sort());
  });

  it("answers another ingest account's batch or record as not found, and the owner's as its own", async () => {
    const probes: Array<{ call: string; run: (c: NexusClient) => Promise<unknown>; owner?: string }> = [
      { call: 'batches.get', run: (c) => c.trpc.batches.get.query({ batchId: world.batchA }) },
      { call: 'batches.records', run: (c) => c.trpc.batches.records.query({ batchId: world.batchA }) },
      {
        call: 'batches.list from its cursor',
        run: (c) => c.trpc.batches.list.query({ cursor: world.batchA, limit: 10 }),
      },
      // The batch is completed: its owner is told so, anyone else that there is no such batch.
      {
        call: 'batches.cancel',
        run: (c) => c.trpc.batches.cancel.mutate({ batchId: world.batchA }),
        owner: 'CONFLICT',
      },
      { call: 'records.get by id', run: (c) => c.trpc.records.get.query({ id: world.recordA.id }) },
      {
        call: 'records.get by source and external id',
        run: (c) => c.trpc.records.get.query({ source: SOURCE_A, externalId: world.recordA.externalId }),
      },
      {
        call: 'records.get of a streamed record',
        run: (c) => c.trpc.records.get.query({ id: world.streamedA.id }),
      },
      {
        call: 'records.get of a streamed record by external id',
        run: (c) => c.trpc.records.get.query({ source: SOURCE_A, externalId: world.streamedA.externalId }),
      },
    ];
    const wrong: string[] = [];
    for (const probe of probes) {
      const mine = await outcome(() => probe.run(asA));
      if (mine !== (probe.owner ?? 'ok')) wrong.push(`${probe.call} as the owner: ${mine}`);
      const theirs = await outcome(() => probe.run(asB));
      if (theirs !== 'NOT_FOUND') wrong.push(`${probe.call} as another ingest account: ${theirs}`);
      const operator = await outcome(() => probe.run(asOperator));
      if (operator !== (probe.owner ?? 'ok')) wrong.push(`${probe.call} as an operator: ${operator}`);
    }
    expect(wrong).toEqual([]);
    expect((await asA.trpc.batches.get.query({ batchId: world.batchA })).status).toBe('completed');
  });

  it('lists to an ingest account its own batches only, and to operators every batch', async () => {
    const ids = async (c: NexusClient) =>
      (await c.trpc.batches.list.query({ limit: 100 })).items.map((b) => b.id);
    expect(await ids(asA)).toContain(world.batchA);
    expect(await ids(asB)).toEqual([]);
    expect((await ids(asOperator)).length).toBeGreaterThanOrEqual(2);
    expect(await ids(asOperator)).toContain(world.batchA);
  });

  it("lets an ingest client follow its own batch's progress, not another's", async () => {
    const follow = (c: NexusClient) =>
      firstEvent<{ id: string }>((h) => c.trpc.live.batchProgress.subscribe({ batchId: world.batchA }, h));
    expect(await follow(asA)).toMatchObject({ data: { id: world.batchA } });
    expect(await follow(asB)).toEqual({ error: 'NOT_FOUND' });
    expect(await follow(asOperator)).toMatchObject({ data: { id: world.batchA } });
  });

  it('shows an ingest client only its own batches among the active ones', async () => {
    const { randomUUID } = await import('node:crypto');
    const active = [randomUUID(), randomUUID()];
    await suite.tdb.db
      .insertInto('batches')
      .values(
        active.map((id) => ({
          id,
          source: SOURCE_A,
          status: 'received' as const,
          submitted_by: world.a.username,
          submitted_by_id: world.a.userId,
          record_count: 0,
        })),
      )
      .execute();
    const first = (c: NexusClient) =>
      firstEvent<Array<{ id: string }>>((h) => c.trpc.live.activeBatches.subscribe(undefined, h));
    const seenByB = await first(asB);
    expect(seenByB).toEqual({ data: [] });
    const seenByA = await first(asA);
    expect('data' in seenByA ? seenByA.data.map((b) => b.id).sort() : seenByA).toEqual([...active].sort());
  });

  it('tells an ingest client its decision and scores, never the values of the person it matched', async () => {
    const mine = await asA.trpc.records.get.query({ id: world.recordA.id });
    expect(mine.status).toBe('linked');
    expect(mine.decision.goldenId).toMatch(/^[0-9a-f-]{36}$/);
    // Its own record, with the identifiers masked for the ingest role (FIELD_MASKS, docs/decisions/0037).
    expect(mine.payload.email).toBe('x***@a-corp.example');
    const explanation = mine.explanation as { rule: string; fields: Array<Record<string, unknown>> };
    expect(explanation.rule).toBe('at_or_above_link_threshold');
    expect(explanation.fields.length).toBeGreaterThan(0);
    for (const f of explanation.fields) expect(Object.keys(f).sort()).toEqual(['field', 'level', 'weight']);
    const told = JSON.stringify({ explanation: mine.explanation, waterfall: mine.waterfall }).toLowerCase();
    expect(world.theirValues.filter((v) => told.includes(v))).toEqual([]);

    // A reviewer sees the full comparison; an operator sees it with the identifiers masked as in
    // the operator's own answers (FIELD_MASKS): an explanation is no way around the mask.
    const full = JSON.stringify(
      (await asReviewer.trpc.records.get.query({ id: world.recordA.id })).explanation,
    );
    expect(full).toContain('7391048265');
    const operated = JSON.stringify(
      (await asOperator.trpc.records.get.query({ id: world.recordA.id })).explanation,
    );
    expect(operated).not.toContain('7391048265');
    expect(operated).toContain('******8265');
  });

  it("refuses another account's source, so a repeated external id never answers another account's record id", async () => {
    const stream = (c: NexusClient, source: string, externalId: string) =>
      c.trpc.ingest.stream.mutate({
        source,
        record: { external_id: externalId, given_name: 'Ana', family_name: 'Lobo' },
      });
    // A repeats its own external id: its own record id back.
    expect(await stream(asA, SOURCE_A, world.recordA.externalId)).toMatchObject({
      recordId: world.recordA.id,
      duplicate: true,
    });

    const streamed = await stream(asB, SOURCE_A, world.recordA.externalId).catch((e: unknown) => e);
    expect(streamed).toMatchObject({ data: { code: 'FORBIDDEN', domainCode: 'SOURCE.NOT_YOURS' } });
    expect(JSON.stringify(streamed)).not.toContain(world.recordA.id);
    const submitted = await asB.trpc.ingest.submitBatch
      .mutate({ source: SOURCE_A, records: [{ external_id: world.recordA.externalId, given_name: 'Ana' }] })
      .catch((e: unknown) => e);
    expect(submitted).toMatchObject({ data: { code: 'FORBIDDEN', domainCode: 'SOURCE.NOT_YOURS' } });
    expect((await asB.trpc.batches.list.query({ limit: 10 })).items).toEqual([]);

    // An operator's record in a source B then takes: B is told it is someone else's, without its id.
    const operators = await stream(asOperator, 'shared', 's-1');
    const repeated = await stream(asB, 'shared', 's-1').catch((e: unknown) => e);
    expect(repeated).toMatchObject({ data: { code: 'CONFLICT', domainCode: 'RECORD.NOT_YOURS' } });
    expect(JSON.stringify(repeated)).not.toContain(operators.recordId);
    expect(await stream(asB, 'shared', 's-2')).toMatchObject({ duplicate: false });
    // The operator still gets its own record's id back.
    expect(await stream(asOperator, 'shared', 's-1')).toMatchObject({
      recordId: operators.recordId,
      duplicate: true,
    });
  });

  it('makes a person who uploads a file on the dashboard the owner of its batch', async () => {
    await addUser(suite.tdb.db, { username: 'clerk', role: 'ingest', password: 'clerk-password-1' }, 'test');
    const clerk = createNexusClient(
      suite.server.url,
      (await suite.server.login('clerk', 'clerk-password-1')).accessToken,
    );
    try {
      const reading = await clerk.trpc.ingest.readUpload.mutate({
        fileName: 'people.csv',
        content: 'external_id,given_name,family_name\nc-1,Rui,Barros\nc-2,Sara,Pinto\n',
      });
      const receipt = await clerk.trpc.ingest.submitBatch.mutate({
        source: 'front-desk',
        records: reading.records,
      });
      expect(await clerk.trpc.batches.get.query({ batchId: receipt.batchId })).toMatchObject({
        submittedBy: 'clerk',
      });
      expect((await clerk.trpc.batches.list.query({ limit: 10 })).items.map((b) => b.id)).toEqual([
        receipt.batchId,
      ]);
      expect(await outcome(() => asB.trpc.batches.get.query({ batchId: receipt.batchId }))).toBe('NOT_FOUND');
      expect(await outcome(() => asA.trpc.batches.records.query({ batchId: receipt.batchId }))).toBe(
        'NOT_FOUND',
      );
      expect(await outcome(() => clerk.trpc.batches.get.query({ batchId: world.batchA }))).toBe('NOT_FOUND');
      expect(await outcome(() => asOperator.trpc.batches.get.query({ batchId: receipt.batchId }))).toBe('ok');
    } finally {
      await clerk.close();
    }
  });
});
