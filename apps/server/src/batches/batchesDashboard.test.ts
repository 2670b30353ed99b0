import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';
import type { BatchView } from './batchStatus';

const person = (i: number, prefix: string) => ({
  external_id: `${prefix}-${i}`,
  given_name: ['Ana', 'Bruno', 'Carla', 'Davi', 'Elisa'][i % 5],
  family_name: ['Silva', 'Souza', 'Costa', 'Lima', 'Rocha', 'Alves', 'Pereira'][i % 7],
  date_of_birth: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
});

let tdb: TestDatabase;
let server: TestServer;
let client: NexusClient;

beforeAll(async () => {
  tdb = await createTestDatabase();
  server = await startTestServer(tdb);
  client = createNexusClient(server.url, await server.tokenFor('ingest'));
});
afterAll(async () => {
  await client?.close();
  await server?.close();
  await tdb?.drop();
});

/** Follows live.activeBatches until `done` says so; every event seen. */
function followActive(done: (seen: BatchView[][]) => boolean, ms = 60_000): Promise<BatchView[][]> {
  const seen: BatchView[][] = [];
  return new Promise((resolve, reject) => {
    const sub = client.trpc.live.activeBatches.subscribe(undefined, {
      onData: (views) => {
        seen.push(views);
        if (done(seen)) {
          sub.unsubscribe();
          resolve(seen);
        }
      },
      onError: reject,
    });
    setTimeout(() => {
      sub.unsubscribe();
      reject(new Error(`no end in time; saw ${JSON.stringify(seen.map((v) => v.map((b) => b.status)))}`));
    }, ms).unref();
  });
}

describe('batches for the dashboard', () => {
  it('one feed follows every running batch to its end, and the list says who submitted it', async () => {
    const idle = await followActive((seen) => seen.length === 1);
    expect(idle).toEqual([[]]); // nothing runs: the first event says so at once
    const ids: string[] = [];
    const watching = followActive((seen) => {
      const last = new Map(seen.flat().map((v) => [v.id, v]));
      return ids.length === 2 && ids.every((id) => last.get(id)?.status === 'completed');
    });
    for (const prefix of ['fa', 'fb']) {
      const receipt = await client.trpc.ingest.submitBatch.mutate({
        source: `feed-${prefix}`,
        records: Array.from({ length: 30 }, (_, i) => person(i, prefix)),
      });
      ids.push(receipt.batchId);
    }
    const seen = (await watching).flat();
    for (const id of ids) {
      const views = seen.filter((v) => v.id === id);
      expect(views.at(-1)!.counts.pending).toBe(0);
      expect(views.at(-1)!.submittedBy).toBe('ingest-user');
      // Each state is sent once.
      expect(new Set(views.map((v) => JSON.stringify(v.counts) + v.status)).size).toBe(views.length);
    }
    const list = await client.trpc.batches.list.query({});
    expect(list.items.map((b) => b.id)).toEqual([...ids].reverse());
    expect(list.items[0]).toMatchObject({ submittedBy: 'ingest-user', status: 'completed' });
    expect(list.items[0]!.completedAt).not.toBeNull();
  });

  it("pages a batch's records with their decisions, filtered by decision", async () => {
    const { items } = await client.trpc.batches.list.query({ source: 'feed-fa' });
    const batchId = items[0]!.id;
    const first = await client.trpc.batches.records.query({ batchId, limit: 20 });
    expect(first.items).toHaveLength(20);
    expect(first.items[0]).toMatchObject({ externalId: 'fa-0', name: 'Ana Silva' });
    const rest = await client.trpc.batches.records.query({ batchId, limit: 20, cursor: first.nextCursor! });
    expect(rest.items).toHaveLength(10);
    expect(rest.nextCursor).toBeNull();
    const all = [...first.items, ...rest.items];
    expect(new Set(all.map((r) => r.externalId)).size).toBe(30);
    for (const r of all) {
      if (r.status === 'new' || r.status === 'linked') expect(r.goldenId).toMatch(/^[0-9a-f-]{36}$/);
      if (r.status === 'review') expect(r.reviewCaseId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const news = await client.trpc.batches.records.query({ batchId, status: 'new' });
    expect(news.items.length).toBe(all.filter((r) => r.status === 'new').length);
    expect(news.items.every((r) => r.status === 'new')).toBe(true);
    await expect(client.trpc.batches.records.query({ batchId: randomUUID() })).rejects.toThrow(/no batch/);
  });

  it('GET /api/v1/batches/:id/results.csv streams every record with its decision', async () => {
    const { items } = await client.trpc.batches.list.query({ source: 'feed-fb' });
    const batch = items[0]!;
    const token = await server.tokenFor('ingest');
    const res = await fetch(`${server.url}/api/v1/batches/${batch.id}/results.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toContain(`batch-${batch.id}-results.csv`);
    const rows = parse<Record<string, string>>(await res.text(), { columns: true });
    expect(rows).toHaveLength(30);
    expect(Object.keys(rows[0]!)).toEqual([
      'external_id',
      'name',
      'decision',
      'customer_id',
      'review_case_id',
      'rule',
      'decided_at',
      'problem',
    ]);
    const byDecision = (d: string) => rows.filter((r) => r.decision === d).length;
    expect(byDecision('new')).toBe(batch.counts.new);
    expect(byDecision('linked')).toBe(batch.counts.linked);
    expect(rows.filter((r) => r.decision === 'new').every((r) => r.customer_id?.length === 36)).toBe(true);

    const missing = await fetch(`${server.url}/api/v1/batches/${randomUUID()}/results.csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
    const anonymous = await fetch(`${server.url}/api/v1/batches/${batch.id}/results.csv`);
    expect(anonymous.status).toBe(401);
    const reviewer = await fetch(`${server.url}/api/v1/batches/${batch.id}/results.csv`, {
      headers: { authorization: `Bearer ${await server.tokenFor('reviewer')}` },
    });
    expect(reviewer.status).toBe(403);
  });
});
