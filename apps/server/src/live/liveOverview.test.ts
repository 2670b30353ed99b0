import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../../../test/serverHarness';
import { createNexusClient } from '../client/createNexusClient';
import type { EngineSample, ThroughputSample } from './liveHub';

const suite = useTestServer();

async function until(what: string, check: () => boolean, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function metric(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

const person = (i: number) => ({
  external_id: `ov-${i}`,
  given_name: ['Ana', 'Bruno', 'Carla', 'Davi'][i % 4],
  family_name: ['Silva', 'Souza', 'Costa'][i % 3],
  date_of_birth: `19${60 + (i % 30)}-0${1 + (i % 9)}-1${i % 10}`,
});

describe('the live overview feeds', () => {
  it('report the review queue, dead letters and dependencies as /metrics does', async () => {
    const db = suite.server.nexus.db;
    await db
      .insertInto('review_cases')
      .values([
        { id: crypto.randomUUID(), record_id: null, kind: 'possible_match', status: 'open', score: 1 },
        { id: crypto.randomUUID(), record_id: null, kind: 'possible_match', status: 'resolved', score: 1 },
      ])
      .execute();
    await db
      .insertInto('dead_letters')
      .values({
        record_id: crypto.randomUUID(),
        partition: 0,
        bus_offset: '1',
        payload: {},
        error: 'boom',
        attempts: 5,
        status: 'open',
      })
      .execute();
    const client = createNexusClient(suite.server.url, await suite.server.tokenFor('operator'));
    try {
      const samples: EngineSample[] = [];
      const sub = client.trpc.live.engine.subscribe(undefined, { onData: (e) => samples.push(e.data) });
      await until('the counts arrive', () =>
        samples.some((s) => s.reviewQueue === 1 && s.dependencies.tech5 !== undefined),
      );
      sub.unsubscribe();
      const sample = samples.find((s) => s.reviewQueue === 1)!;
      expect(sample.deadLetters).toBe(1);
      expect(sample.dependencies.tech5).toMatchObject({ ok: true });
      expect(sample.partitions.map((p) => p.partition)).toEqual([0, 1, 2, 3]);

      const text = await (await fetch(`${suite.server.url}/metrics`)).text();
      expect(metric(text, 'nexus_review_queue')).toBe(sample.reviewQueue);
      expect(metric(text, 'nexus_dead_letters_open')).toBe(sample.deadLetters);
      expect(metric(text, 'nexus_dependency_up{part="tech5"}')).toBe(1);
    } finally {
      await client.close();
    }
  });

  it('report per-second decision latency percentiles and what entered each pipeline stage', async () => {
    const client = createNexusClient(suite.server.url, await suite.server.tokenFor('admin'));
    try {
      const samples: ThroughputSample[] = [];
      const sub = client.trpc.live.throughput.subscribe(undefined, { onData: (e) => samples.push(e.data) });
      await until('subscribed', () => samples.length > 0);
      const receipt = await client.trpc.ingest.submitBatch.mutate({
        source: 'overview',
        records: Array.from({ length: 30 }, (_, i) => person(i)),
      });
      expect(receipt.accepted).toBe(30);
      const total = (pick: (s: ThroughputSample) => number) =>
        samples.slice(1).reduce((n, s) => n + pick(s), 0);
      await until('all 30 are decided', () => total((s) => s.decided) >= 30);
      sub.unsubscribe();
      expect(total((s) => s.stages.validate.entered)).toBe(30);
      expect(total((s) => s.stages.persist.entered)).toBe(30);
      expect(total((s) => s.stages.candidates.entered)).toBe(30);
      expect(total((s) => s.stages.decide.entered)).toBe(30);
      // Records without a face skip liveness and the 1:N search.
      expect(total((s) => s.stages.liveness.entered)).toBe(0);
      const busy = samples.filter((s) => s.latency !== null);
      expect(busy.length).toBeGreaterThan(0);
      for (const s of busy) {
        expect(s.latency!.p50).toBeGreaterThan(0);
        expect(s.latency!.p95).toBeGreaterThanOrEqual(s.latency!.p50);
      }

      const text = await (await fetch(`${suite.server.url}/metrics`)).text();
      expect(metric(text, 'nexus_stage_duration_seconds_count{stage="validate"}')).toBe(30);
      expect(metric(text, 'nexus_stage_duration_seconds_count{stage="decide"}')).toBe(30);
    } finally {
      await client.close();
    }
  });
});
