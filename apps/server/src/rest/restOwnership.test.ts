import { beforeAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { buildOwnershipWorld, SOURCE_A, type OwnershipWorld } from '../../../../test/ownershipWorld';

/**
 * Whose batches the REST routes reach: an ingest account its own; another account's batch is a
 * 404, exactly as one that does not exist; a repeated external id never answers another
 * account's record id.
 */
describe('ownership over REST', () => {
  const suite = useTestServer();
  let world: OwnershipWorld;

  beforeAll(async () => {
    world = await buildOwnershipWorld(suite.server, suite.tdb);
  });

  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${suite.server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  it("answers another ingest account's batch as not found on every batch route, and the owner's as its own", async () => {
    const routes: Array<{ method: string; path: string; owner: number }> = [
      { method: 'GET', path: `/api/v1/batches/${world.batchA}`, owner: 200 },
      { method: 'GET', path: `/api/v1/batches/${world.batchA}/results.csv`, owner: 200 },
      // Completed: its owner is told it cannot be cancelled any more.
      { method: 'DELETE', path: `/api/v1/batches/${world.batchA}`, owner: 409 },
    ];
    const wrong: string[] = [];
    for (const r of routes) {
      const mine = await call(world.a.apiKey, r.method, r.path);
      if (mine.status !== r.owner) wrong.push(`${r.method} ${r.path} as the owner: ${mine.status}`);
      const theirs = await call(world.b.apiKey, r.method, r.path);
      if (theirs.status !== 404 || !theirs.text.includes('BATCH.NOT_FOUND'))
        wrong.push(
          `${r.method} ${r.path} as another ingest account: ${theirs.status} ${theirs.text.slice(0, 80)}`,
        );
      const operator = await call(world.operatorToken, r.method, r.path);
      if (operator.status !== r.owner) wrong.push(`${r.method} ${r.path} as an operator: ${operator.status}`);
    }
    expect(wrong).toEqual([]);
    const csv = await call(world.a.apiKey, 'GET', `/api/v1/batches/${world.batchA}/results.csv`);
    expect(csv.text).toContain(world.recordA.externalId);
    const batch = await call(world.a.apiKey, 'GET', `/api/v1/batches/${world.batchA}`);
    expect(JSON.parse(batch.text)).toMatchObject({ id: world.batchA, status: 'completed' });
  });

  it("never answers a repeated external id with another account's record id", async () => {
    const ingest = (token: string, source: string, externalId: string) =>
      call(token, 'POST', '/api/v1/ingest', {
        source,
        record: { external_id: externalId, given_name: 'Ana', family_name: 'Lobo' },
      });
    const mine = await ingest(world.a.apiKey, SOURCE_A, world.recordA.externalId);
    expect(mine.status).toBe(202);
    expect(JSON.parse(mine.text)).toEqual({ recordId: world.recordA.id });

    const theirs = await ingest(world.b.apiKey, SOURCE_A, world.recordA.externalId);
    expect(theirs.status).toBe(403);
    expect(JSON.parse(theirs.text)).toMatchObject({ error: { code: 'SOURCE.NOT_YOURS' } });
    expect(theirs.text).not.toContain(world.recordA.id);
    const streamed = await ingest(world.b.apiKey, SOURCE_A, world.streamedA.externalId);
    expect(streamed.text).not.toContain(world.streamedA.id);
    const batch = await call(world.b.apiKey, 'POST', '/api/v1/records', {
      source: SOURCE_A,
      records: [{ external_id: world.recordA.externalId, given_name: 'Ana' }],
    });
    expect(batch.status).toBe(403);
    expect(JSON.parse(batch.text)).toMatchObject({ error: { code: 'SOURCE.NOT_YOURS' } });

    // A record an operator streamed into a source that B then uses: B learns only that it is taken.
    const operators = await ingest(world.operatorToken, 'partner-feed', 'p-1');
    expect(operators.status).toBe(202);
    const repeated = await ingest(world.b.apiKey, 'partner-feed', 'p-1');
    expect(repeated.status).toBe(409);
    expect(JSON.parse(repeated.text)).toMatchObject({ error: { code: 'RECORD.NOT_YOURS' } });
    expect(repeated.text).not.toContain((JSON.parse(operators.text) as { recordId: string }).recordId);
  });
});
