import { execFile } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatchModel } from '@nexus/matching';
import { pendingCount, startTestEngine, waitUntil } from '../../../test/engineHarness';
import { createTestDatabase, type TestDatabase } from '../../../test/testDatabase';
import type { Engine } from '../src/engine/engine';
import { generatePopulation } from '../src/generate/syntheticPeople';
import { submitBatch } from '../src/ingest/submitBatch';

const run = promisify(execFile);
const NEXUS = path.resolve(import.meta.dirname, '../bin/nexus.mjs');

async function nexus(...args: string[]): Promise<{ stdout: string; json: Record<string, unknown> }> {
  const { stdout } = await run(process.execPath, [NEXUS, ...args], { maxBuffer: 16 * 1024 * 1024 });
  return { stdout, json: JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown> };
}

describe('nexus train', () => {
  let tdb: TestDatabase;
  let engine: Engine;

  async function decide(source: string, people: number, seed: number): Promise<void> {
    const population = generatePopulation({ people, dupRate: 0.5, seed, prefix: source });
    await submitBatch(tdb.db, engine.bus.partitions, { source, records: population.map((p) => p.record) });
    engine.relay.kick();
    await waitUntil(`${source} is decided`, async () => (await pendingCount(tdb.db)) === 0);
  }

  beforeAll(async () => {
    tdb = await createTestDatabase();
    engine = await startTestEngine(tdb);
    // A register to learn from: 200 people, half of them registered twice with typos.
    await decide('first', 200, 5);
  }, 120_000);

  afterAll(async () => {
    await engine?.stop();
    await tdb?.drop();
  });

  const versions = () => tdb.db.selectFrom('model_versions').selectAll().orderBy('id').execute();

  it('stores a trained version and activates it; running workers switch to it and decisions record it', async () => {
    const { stdout, json } = await nexus('train', '--database-url', tdb.url);
    const trainedAt = Date.now();
    expect(stdout).toMatch(/field\s+level\s+m old\s+m new\s+u old\s+u new/);
    expect(stdout).toMatch(/family_name\s+exact\s/);
    expect(stdout).toMatch(/EM: \d+ iterations, converged/);
    expect(json).toMatchObject({ active: true, previous_version: 1, converged: true });
    expect(json.records).toBeGreaterThan(250);

    const rows = await versions();
    expect(rows.map((r) => [r.id, r.kind, r.active])).toEqual([
      [1, 'default', false],
      [json.version, 'trained', true],
    ]);
    const trained = rows[1]!;
    expect(trained.notes).toMatch(/random pairs \d+/);
    expect(trained.notes).toMatch(/EM \d+ iterations, converged/);
    const params = trained.params as unknown as MatchModel;
    expect(params.version).toMatch(/^trained-/);
    expect(params.matchProbability).toBeGreaterThan(0);
    expect(Object.keys(params.termFrequencies ?? {})).toContain('family_name');

    // The engine kept running; its workers look at the active version at most every 5 s.
    await sleep(Math.max(0, trainedAt + 5_100 - Date.now()));
    await decide('second', 30, 6);
    const decided = await tdb.db
      .selectFrom('records')
      .select(['model_version', 'explanation'])
      .where('source', '=', 'second')
      .where('status', 'in', ['new', 'linked', 'review'])
      .execute();
    expect(decided.length).toBeGreaterThan(30);
    for (const r of decided) {
      expect(r.model_version).toBe(json.version);
      expect((r.explanation as { modelVersion?: string }).modelVersion).toBe(params.version);
    }
  }, 60_000);

  it('with --no-activate stores the version and leaves the active one alone', async () => {
    const before = (await versions()).find((r) => r.active)?.id;
    const { json } = await nexus('train', '--database-url', tdb.url, '--no-activate', '--sample', '200');
    expect(json).toMatchObject({ active: false, sample: 200 });
    const after = await versions();
    expect(after.find((r) => r.active)?.id).toBe(before);
    expect(after.find((r) => r.id === json.version)).toMatchObject({ kind: 'trained', active: false });
  }, 60_000);
});
