/**
 * Tech5 calls sent ahead of the decisions (docs/decisions/0054-overlap-of-the-tech5-calls.md):
 * the same records, decided in tasks with their liveness checks and 1:N searches prefetched, and
 * one call at a time in each record's turn, each on its own database and simulator, end in the
 * same decisions; a face enrolled by the record just before is still found; a spoof is rejected
 * without reaching ABIS; a failed prefetch is not handed on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecordMessage } from '@nexus/schema';
import { loadActiveModel, Tech5Biometrics, type BiometricStages } from '@nexus/actors';
import { loadConfig } from '../../src/config';
import {
  decideRecordMessage,
  type PipelineContext,
} from '../../../../packages/actors/src/pipeline/decideRecordMessage';
import { PrefetchingBiometrics } from '../../../../packages/actors/src/pipeline/prefetchingBiometrics';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { FAST_TECH5, faceDataUrl, facePopulation, message } from './faces';

const TASK = 8;

interface Side {
  tdb: TestDatabase;
  sim: Tech5Simulator;
  ctx: PipelineContext;
}

async function side(): Promise<Side> {
  const [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
  const ctx: PipelineContext = {
    db: tdb.db,
    model: await loadActiveModel(tdb.db),
    biometrics: new Tech5Biometrics({ ldsUrl: sim.ldsUrl, abisUrl: sim.abisUrl, client: FAST_TECH5 }),
  };
  return { tdb, sim, ctx };
}

/** Decides the messages in tasks of TASK, as the worker does with prefetch on. */
async function decidePrefetched(s: Side, messages: RawRecordMessage[], concurrency = 4) {
  const counts = { livenessUsed: 0, searchesUsed: 0, searchesRepeated: 0, failedPrefetches: 0 };
  const decided = [];
  for (let i = 0; i < messages.length; i += TASK) {
    const task = messages.slice(i, i + TASK);
    const ahead = new PrefetchingBiometrics(s.ctx.biometrics!, s.ctx.db, concurrency);
    try {
      await ahead.prefetch(task);
      for (const m of task) decided.push(await decideRecordMessage({ ...s.ctx, biometrics: ahead }, 0, m));
    } finally {
      ahead.close();
    }
    for (const k of Object.keys(counts) as Array<keyof typeof counts>) counts[k] += ahead.counts[k];
  }
  return { decided, counts };
}

/** Every decision as position-relative facts: status, rule, face level, which earlier record's golden record. */
async function outcomes(s: Side, messages: RawRecordMessage[]) {
  const rows = await s.tdb.db
    .selectFrom('records')
    .leftJoin('golden_record_members as m', 'm.record_id', 'records.id')
    .select(['records.id', 'records.status', 'records.decision_rule', 'records.explanation', 'm.golden_id'])
    .execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  const firstOfGolden = new Map<string, number>();
  return messages.map((m, i) => {
    const row = byId.get(m.recordId)!;
    const golden = row.golden_id ?? null;
    if (golden !== null && !firstOfGolden.has(golden)) firstOfGolden.set(golden, i);
    const explanation = row.explanation as { biometric?: { level?: string } } | null;
    return {
      i,
      status: row.status,
      rule: row.decision_rule,
      face: explanation?.biometric?.level ?? null,
      cluster: golden === null ? null : firstOfGolden.get(golden),
    };
  });
}

let plain: Side;
let ahead: Side;

beforeAll(async () => {
  [plain, ahead] = await Promise.all([side(), side()]);
});
afterAll(async () => {
  for (const s of [plain, ahead]) {
    await s?.sim.close();
    await s?.tdb.drop();
  }
});

describe('Tech5 calls sent ahead of the decisions', () => {
  // Every record twice through a simulator with real image work: minutes on a loaded machine.
  it('decides a generated population with duplicates and spoofs exactly as one call at a time does', async () => {
    const population = facePopulation({ people: 30, dupRate: 0.5, spoofRate: 0.1, seed: 54, prefix: 'pf' });
    const messages = population.map((p) => message(p.record));
    for (const m of messages) await decideRecordMessage(plain.ctx, 0, m);
    const { counts } = await decidePrefetched(ahead, messages);
    const [expected, actual] = await Promise.all([outcomes(plain, messages), outcomes(ahead, messages)]);
    expect(actual).toEqual(expected);
    // The population has what the comparison must cover: links, spoofs and face matches.
    expect(expected.some((o) => o.status === 'linked')).toBe(true);
    expect(expected.some((o) => o.rule === 'liveness_failed')).toBe(true);
    expect(expected.some((o) => o.face === 'match')).toBe(true);
    // Liveness answers were taken from the prefetches, and searches made again where the guard says.
    expect(counts.livenessUsed).toBe(messages.length);
    expect(counts.searchesUsed + counts.searchesRepeated).toBeGreaterThan(0);
    expect(counts.failedPrefetches).toBe(0);
    // A spoof never reaches ABIS, prefetched or not.
    expect(ahead.sim.stats().spoofSamplesAtAbis).toBe(0);
    expect(ahead.sim.stats().abis.insert).toBe(plain.sim.stats().abis.insert);
  }, 240_000);

  it('finds the face a record of the same person enrolled moments earlier in the same task', async () => {
    const subject = { family: 5401, member: 0 };
    const person = { given_name: 'Ines', family_name: 'Duarte', date_of_birth: '1988-04-02', city: 'Porto' };
    const first = message({ external_id: 'g1', ...person, face_image: faceDataUrl(subject, 1) });
    // The same person, written differently, with another capture of the same face.
    const second = message({
      external_id: 'g2',
      ...person,
      given_name: 'Inês',
      city: 'Braga',
      face_image: faceDataUrl(subject, 2),
    });
    const { decided, counts } = await decidePrefetched(ahead, [first, second]);
    expect(decided[0]!.status).toBe('new');
    expect(decided[1]).toMatchObject({ status: 'linked', goldenId: decided[0]!.goldenId });
    const row = await ahead.tdb.db
      .selectFrom('records')
      .select('explanation')
      .where('id', '=', second.recordId)
      .executeTakeFirstOrThrow();
    // The link saw the face: its search returned the first record's reference.
    expect(row.explanation).toMatchObject({
      biometric: { level: 'match', hits: [{ goldenId: decided[0]!.goldenId }] },
    });
    // Both searches were sent ahead, the second once the first record's face was enrolled.
    expect(counts).toMatchObject({ livenessUsed: 2, searchesUsed: 2, searchesRepeated: 0 });
  });

  it('does not hand on a prefetch that failed: the record makes its own call', async () => {
    const m = message({
      external_id: 'f1',
      given_name: 'Tomas',
      family_name: 'Berg',
      date_of_birth: '1979-09-09',
      face_image: faceDataUrl({ family: 5402, member: 0 }, 1),
    });
    const biometrics = new PrefetchingBiometrics(ahead.ctx.biometrics!, ahead.ctx.db, 2);
    ahead.sim.setFaults({ unavailable: true, services: ['lds'] });
    try {
      await biometrics.prefetch([m]);
      await biometrics.drained();
    } finally {
      ahead.sim.setFaults({});
    }
    const decided = await decideRecordMessage({ ...ahead.ctx, biometrics }, 0, m);
    biometrics.close();
    expect(decided.status).toBe('new');
    expect(biometrics.counts.failedPrefetches).toBe(1);
    expect(biometrics.counts.livenessUsed).toBe(0);
  });

  it('keeps at most the configured number of liveness checks in flight', async () => {
    const real = ahead.ctx.biometrics!;
    let inFlight = 0;
    let most = 0;
    // The real client, counted: how many of its liveness checks are unanswered at once.
    const counted: BiometricStages = {
      checkLiveness: async (record) => {
        most = Math.max(most, ++inFlight);
        try {
          return await real.checkLiveness(record);
        } finally {
          inFlight--;
        }
      },
      identify: (record) => real.identify(record),
      enrol: (id, record) => real.enrol(id, record),
      verify: (record, referenceIds) => real.verify(record, referenceIds),
    };
    const messages = Array.from({ length: 6 }, (_, i) =>
      message({
        external_id: `c${i}`,
        given_name: 'Lena',
        family_name: `Kraus${i}`,
        date_of_birth: '1990-01-01',
        face_image: faceDataUrl({ family: 5410 + i, member: 0 }, 1),
      }),
    );
    const biometrics = new PrefetchingBiometrics(counted, ahead.ctx.db, 2);
    await biometrics.prefetch(messages);
    await biometrics.drained();
    for (const m of messages) await decideRecordMessage({ ...ahead.ctx, biometrics }, 0, m);
    biometrics.close();
    expect(most).toBe(2);
    expect(biometrics.counts.livenessUsed).toBe(6);
  });

  it('refuses a concurrency below one, and NEXUS_TECH5_PREFETCH outside 0..64', () => {
    expect(() => new PrefetchingBiometrics(ahead.ctx.biometrics!, ahead.ctx.db, 0)).toThrow(/at least 1/);
    expect(() => new PrefetchingBiometrics(ahead.ctx.biometrics!, ahead.ctx.db, 1.5)).toThrow(/at least 1/);
    expect(loadConfig({ NEXUS_TECH5_PREFETCH: '0' }).NEXUS_TECH5_PREFETCH).toBe(0);
    expect(loadConfig({ NEXUS_TECH5_PREFETCH: '64' }).NEXUS_TECH5_PREFETCH).toBe(64);
    expect(loadConfig({}).NEXUS_TECH5_PREFETCH).toBe(4);
    expect(() => loadConfig({ NEXUS_TECH5_PREFETCH: '65' })).toThrow(/NEXUS_TECH5_PREFETCH/);
    expect(() => loadConfig({ NEXUS_TECH5_PREFETCH: '-1' })).toThrow(/NEXUS_TECH5_PREFETCH/);
  });
});
