import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import type { BatchView } from '../batches/batchStatus';

const person = (i: number) => ({
  external_id: `p-${i}`,
  given_name: ['Ana', 'Bruno', 'Carla', 'Davi', 'Elisa'][i % 5],
  family_name: ['Silva', 'Souza', 'Costa', 'Lima', 'Rocha', 'Alves', 'Pereira'][i % 7],
  date_of_birth: `19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
  city: 'Recife',
});

const suite = useTestServer();

describe('live subscriptions over WebSocket', () => {
  it('a typed client submits a batch and watches it finish', async () => {
    const client = createNexusClient(suite.server.url, await suite.server.tokenFor('ingest'));
    try {
      const receipt = await client.trpc.ingest.submitBatch.mutate({
        source: 'registry',
        records: [...Array.from({ length: 40 }, (_, i) => person(i)), { given_name: 'no id' }],
      });
      expect(receipt.accepted).toBe(40);
      expect(receipt.rejected).toEqual([
        { index: 40, errors: [expect.objectContaining({ field: 'external_id' })] },
      ]);
      const seen: BatchView[] = [];
      await new Promise<void>((resolve, reject) => {
        const sub = client.trpc.live.batchProgress.subscribe(
          { batchId: receipt.batchId },
          {
            onData: (event) => {
              seen.push(event.data);
              if (event.data.status === 'completed') resolve();
            },
            onError: reject,
            onComplete: () => resolve(),
          },
        );
        setTimeout(() => {
          sub.unsubscribe();
          reject(new Error('the batch did not complete in time'));
        }, 60_000).unref();
      });
      const last = seen.at(-1)!;
      expect(last.status).toBe('completed');
      expect(last.counts.pending).toBe(0);
      expect(last.counts.new + last.counts.linked + last.counts.review + last.counts.rejected).toBe(40);
      // Progress only moves forward: each event a new state.
      const decided = seen.map((v) => v.counts.records - v.counts.pending);
      expect(decided).toEqual([...decided].sort((a, b) => a - b));
      expect(new Set(seen.map((v) => JSON.stringify(v))).size).toBe(seen.length);
    } finally {
      await client.close();
    }
  });
});

describe('resuming a subscription after a lost connection', () => {
  const addUser = async (admin: ReturnType<typeof createNexusClient>, username: string) =>
    admin.trpc.users.add.mutate({ username, role: 'reviewer', password: 'password-123' });

  async function until(what: string, check: () => boolean, ms = 20_000) {
    const deadline = Date.now() + ms;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('replays what was missed exactly once, automatically and with an explicit lastEventId', async () => {
    const token = await suite.server.tokenFor('admin');
    let closes = 0;
    const watcher = createNexusClient(suite.server.url, token, {
      retryDelayMs: () => 800,
      onWsClose: () => closes++,
    });
    const admin = createNexusClient(suite.server.url, token);
    const seen: Array<{ id: string; username: unknown }> = [];
    try {
      const sub = watcher.trpc.live.audit.subscribe(
        { entityType: 'user' },
        { onData: (e) => seen.push({ id: e.id, username: e.data.after?.username }) },
      );
      await until('the socket is open', () => suite.server.nexus.http.webSockets.connections() === 1);
      await addUser(admin, 'u1');
      await until('u1 is seen', () => seen.length === 1);

      // The network drops; while the client waits to reconnect, two users are added.
      suite.server.nexus.http.webSockets.terminateAll();
      await until('the client noticed', () => closes === 1);
      await addUser(admin, 'u2');
      await addUser(admin, 'u3');
      await until('u2 and u3 are replayed', () => seen.length >= 3);
      await addUser(admin, 'u4');
      await until('u4 is seen live', () => seen.length >= 4);
      await new Promise((r) => setTimeout(r, 300));
      sub.unsubscribe();
      expect(seen.map((s) => s.username)).toEqual(['u1', 'u2', 'u3', 'u4']);
      expect(new Set(seen.map((s) => s.id)).size).toBe(4);

      // A new subscription given the id of u1's entry gets u2..u4, once each, then only what is new.
      const again: unknown[] = [];
      const resumed = watcher.trpc.live.audit.subscribe(
        { entityType: 'user', lastEventId: seen[0]!.id },
        { onData: (e) => again.push(e.data.after?.username) },
      );
      await until('the backlog is read', () => again.length >= 3);
      await addUser(admin, 'u5');
      await until('u5 is seen', () => again.length >= 4);
      await new Promise((r) => setTimeout(r, 300));
      resumed.unsubscribe();
      expect(again).toEqual(['u2', 'u3', 'u4', 'u5']);
    } finally {
      await watcher.close();
      await admin.close();
    }
  });

  it('streams per-second throughput to operators', async () => {
    const client = createNexusClient(suite.server.url, await suite.server.tokenFor('operator'));
    try {
      const samples: Array<{ decided: number }> = [];
      const sub = client.trpc.live.throughput.subscribe(undefined, { onData: (e) => samples.push(e.data) });
      await until('two samples', () => samples.length >= 2, 10_000);
      sub.unsubscribe();
      const sample = samples[0] as { decided: unknown; counts: Record<string, unknown> };
      expect(typeof sample.decided).toBe('number');
      expect(typeof sample.counts.new).toBe('number');
    } finally {
      await client.close();
    }
  });
});
