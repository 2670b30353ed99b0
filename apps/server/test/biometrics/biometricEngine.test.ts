/**
 * Faces through the whole engine (bus, partition actors, worker threads, simulator): a batch with
 * 10% spoofs ends with every record decided, the spoofs rejected without one ABIS call
 * (invariant 4), the faces of golden records enrolled once, and duplicates linked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { pendingCount, TEST_ENGINE_CONFIG, waitUntil } from '../../../../test/engineHarness';
import { startEngine, type Engine } from '../../src/engine/engine';
import { submitBatch } from '../../src/ingest/submitBatch';
import { FAST_TECH5, facePopulation } from './faces';

describe('a batch with faces and spoofs through the engine', () => {
  let tdb: TestDatabase;
  let sim: Tech5Simulator;
  let engine: Engine;
  const population = facePopulation({ people: 60, dupRate: 0.4, spoofRate: 0.15, seed: 21 });
  const spoofs = new Set(population.filter((p) => p.face.spoof).map((p) => p.record.external_id));

  beforeAll(async () => {
    [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
    engine = await startEngine(
      { ...TEST_ENGINE_CONFIG, TECH5_LDS_URL: sim.ldsUrl, TECH5_ABIS_URL: sim.abisUrl },
      tdb.db,
      tdb.url,
      { policy: { baseBackoffMs: 10, maxBackoffMs: 100 }, tech5Client: FAST_TECH5 },
    );
    await submitBatch(tdb.db, engine.bus.partitions, {
      source: 'registry',
      records: population.map((p) => p.record),
    });
    engine.relay.kick();
    await waitUntil('the batch is decided', async () => (await pendingCount(tdb.db)) === 0);
  });

  afterAll(async () => {
    await engine?.stop();
    await sim?.close();
    await tdb?.drop();
  });

  const rows = () =>
    tdb.db
      .selectFrom('records')
      .select(['id', 'external_id', 'status', 'decision_rule', 'explanation'])
      .execute();

  it('rejects every spoof at the liveness check and never sends one to ABIS (invariant 4)', async () => {
    expect(spoofs.size).toBeGreaterThan(3);
    const all = await rows();
    const rejected = all.filter((r) => r.decision_rule === 'liveness_failed').map((r) => r.external_id);
    expect(new Set(rejected)).toEqual(spoofs);
    const stats = sim.stats();
    expect(stats.spoofSamplesAtAbis).toBe(0);
    expect(stats.lds.spoof).toBe(spoofs.size);
    expect(stats.abis.identify).toBe(population.length - spoofs.size);
    expect(await tdb.db.selectFrom('dead_letters').selectAll().execute()).toEqual([]);
  });

  it('enrols the face of every record that joined a golden record, once', async () => {
    const all = await rows();
    const members = all.filter((r) => r.status === 'new' || r.status === 'linked');
    const refs = await tdb.db.selectFrom('biometric_references').select(['reference_id', 'status']).execute();
    expect(refs.map((r) => r.reference_id).sort()).toEqual(members.map((r) => r.id).sort());
    expect(refs.every((r) => r.status === 'enrolled')).toBe(true);
    const stats = sim.stats();
    expect(stats.references).toBe(members.length);
    // A micro-batch inserts its live faces before its searches and takes out, after its commit,
    // those that joined no golden record (ADR 0055); the one-record path inserts after the commit.
    expect(stats.abis.insert - stats.abis.delete).toBe(members.length);
  });

  it('links the duplicates, and explains each decision with its liveness and face evidence', async () => {
    const all = await rows();
    const byExternal = new Map(all.map((r) => [r.external_id, r]));
    const golden = new Map(
      (await tdb.db.selectFrom('golden_record_members').select(['record_id', 'golden_id']).execute()).map(
        (m) => [m.record_id, m.golden_id],
      ),
    );
    const byPerson = new Map<string, string[]>();
    for (const p of population) {
      if (p.face.spoof) continue;
      byPerson.set(p.personId, [...(byPerson.get(p.personId) ?? []), p.record.external_id]);
    }
    const pairs = [...byPerson.values()].filter((ids) => ids.length === 2);
    const together = pairs.filter(([a, b]) => {
      const ga = golden.get(byExternal.get(a!)!.id);
      return ga !== undefined && ga === golden.get(byExternal.get(b!)!.id);
    });
    expect(together.length / pairs.length).toBeGreaterThan(0.85);
    const linked = all.find((r) => r.status === 'linked');
    expect(linked?.explanation).toMatchObject({
      liveness: { checked: true, live: true },
      biometric: { level: 'match' },
    });
  });
});
