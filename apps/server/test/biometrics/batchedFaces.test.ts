/**
 * Records with a face decided in micro-batches, their Tech5 calls in waves
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md): the same records decided one at a time
 * and in batches, each on its own database and simulator, end in the same decisions; records of
 * one person in one batch find each other's faces; a spoof in the middle of a batch is rejected
 * without reaching ABIS; ABIS ends holding the faces of golden records and no other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawRecordMessage } from '@nexus/schema';
import { DEFAULT_TARGET_FPIR, loadActiveModel, Tech5Biometrics } from '@nexus/actors';
import {
  decideRecordMessage,
  type PipelineContext,
} from '../../../../packages/actors/src/pipeline/decideRecordMessage';
import {
  batchable,
  decideRecordBatch,
} from '../../../../packages/actors/src/pipeline/batch/decideRecordBatch';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { FAST_TECH5, faceDataUrl, facePopulation, message } from './faces';

const BATCH = 8;

interface Side {
  tdb: TestDatabase;
  sim: Tech5Simulator;
  ctx: PipelineContext;
}

async function side(faceBatch: boolean): Promise<Side> {
  const [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
  const ctx: PipelineContext = {
    db: tdb.db,
    model: await loadActiveModel(tdb.db),
    biometrics: new Tech5Biometrics({ ldsUrl: sim.ldsUrl, abisUrl: sim.abisUrl, client: FAST_TECH5 }),
    ...(faceBatch ? { faceBatch: { concurrency: 4 } } : {}),
  };
  return { tdb, sim, ctx };
}

/** Decides the messages in micro-batches of BATCH, as the worker does with face batches on. */
async function decideBatched(s: Side, messages: RawRecordMessage[]) {
  const decided = [];
  for (let i = 0; i < messages.length; i += BATCH)
    decided.push(...(await decideRecordBatch(s.ctx, 0, messages.slice(i, i + BATCH))));
  return decided;
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
    const explanation = row.explanation as {
      biometric?: { level?: string; hits?: Array<{ goldenId: string | null }> };
    } | null;
    return {
      i,
      status: row.status,
      rule: row.decision_rule,
      face: explanation?.biometric?.level ?? null,
      // Which earlier records' golden records the face search returned.
      hits: (explanation?.biometric?.hits ?? []).map((h) =>
        h.goldenId === null ? null : (firstOfGolden.get(h.goldenId) ?? 'later'),
      ),
      cluster: golden === null ? null : firstOfGolden.get(golden),
    };
  });
}

/** The references each side's ABIS holds, as record positions. */
async function enrolled(s: Side, messages: RawRecordMessage[]) {
  const refs = await s.tdb.db.selectFrom('biometric_references').select(['reference_id', 'status']).execute();
  const position = new Map(messages.map((m, i) => [m.recordId, i]));
  return {
    rows: refs.map((r) => `${position.get(r.reference_id)}:${r.status}`).sort(),
    inAbis: s.sim.stats().references,
  };
}

let plain: Side;
let batched: Side;

beforeAll(async () => {
  [plain, batched] = await Promise.all([side(false), side(true)]);
});
afterAll(async () => {
  for (const s of [plain, batched]) {
    await s?.sim.close();
    await s?.tdb.drop();
  }
});

describe('records with a face in the micro-batch path', () => {
  it('takes a record with a face into a batch only when face batches are on', () => {
    const m = message({ external_id: 'b0', given_name: 'A', family_name: 'B', face_image: 'x' });
    expect(batchable(batched.ctx, m)).toBe(true);
    expect(batchable(plain.ctx, m)).toBe(false);
  });

  it('decides a generated population with duplicates and spoofs exactly as one at a time does', async () => {
    const population = facePopulation({ people: 40, dupRate: 0.5, spoofRate: 0.1, seed: 55, prefix: 'bf' });
    const messages = population.map((p) => message(p.record));
    for (const m of messages) await decideRecordMessage(plain.ctx, 0, m);
    await decideBatched(batched, messages);
    const [expected, actual] = await Promise.all([outcomes(plain, messages), outcomes(batched, messages)]);
    expect(actual).toEqual(expected);
    // The population has what the comparison must cover: links, spoofs, face matches, reviews.
    expect(expected.some((o) => o.status === 'linked')).toBe(true);
    expect(expected.some((o) => o.rule === 'liveness_failed')).toBe(true);
    expect(expected.some((o) => o.face === 'match')).toBe(true);
    // ABIS holds the faces of golden records, and no other: those of reviews left it again.
    expect(await enrolled(batched, messages)).toEqual(await enrolled(plain, messages));
    const stats = batched.sim.stats();
    expect(stats.spoofSamplesAtAbis).toBe(0);
    expect(stats.abis.identify).toBe(plain.sim.stats().abis.identify);
  });

  it('links several records of one person in one batch through their faces, as one at a time does', async () => {
    const subject = { family: 5501, member: 0 };
    const person = { family_name: 'Duarte', date_of_birth: '1988-04-02' };
    // The same person, written differently each time, with another capture of the same face:
    // only the face ties the later ones to the first.
    const messages = [
      message({
        external_id: 's1',
        ...person,
        given_name: 'Ines',
        city: 'Porto',
        face_image: faceDataUrl(subject, 1),
      }),
      message({
        external_id: 's2',
        ...person,
        given_name: 'Inês',
        city: 'Braga',
        face_image: faceDataUrl(subject, 2),
      }),
      message({
        external_id: 's3',
        ...person,
        given_name: 'Ines M.',
        city: 'Faro',
        face_image: faceDataUrl(subject, 3),
      }),
      message({
        external_id: 's4',
        ...person,
        given_name: 'Inez',
        city: 'Lisboa',
        face_image: faceDataUrl(subject, 4),
      }),
    ];
    for (const m of messages) await decideRecordMessage(plain.ctx, 0, m);
    const decided = await decideRecordBatch(batched.ctx, 0, messages);
    expect(await outcomes(batched, messages)).toEqual(await outcomes(plain, messages));
    expect(decided.map((d) => d.status)).toEqual(['new', 'linked', 'linked', 'linked']);
    expect(new Set(decided.map((d) => d.goldenId))).toEqual(new Set([decided[0]!.goldenId]));
    const rows = await batched.tdb.db
      .selectFrom('records')
      .select(['id', 'explanation'])
      .where(
        'id',
        'in',
        messages.map((m) => m.recordId),
      )
      .execute();
    const explanation = new Map(rows.map((r) => [r.id, r.explanation]));
    // Each later record's search returned the faces of the records before it in the batch.
    messages.slice(1).forEach((m, before) => {
      const face = (explanation.get(m.recordId) as { biometric: { level: string; hits: unknown[] } })
        .biometric;
      expect(face.level).toBe('match');
      expect(face.hits).toHaveLength(before + 1);
      for (const hit of face.hits) expect(hit).toMatchObject({ goldenId: decided[0]!.goldenId });
    });
    expect(
      await batched.tdb.db
        .selectFrom('review_cases')
        .select('id')
        .where(
          'record_id',
          'in',
          messages.map((m) => m.recordId),
        )
        .execute(),
    ).toEqual([]);
  });

  it('rejects a spoof in the middle of a batch without reaching ABIS, and decides the others', async () => {
    const before = batched.sim.stats();
    const person = (n: number) => ({
      external_id: `m${n}`,
      given_name: ['Aiko', 'Bruno', 'Chloe', 'Dmitri', 'Esra'][n]!,
      family_name: ['Tanaka', 'Silva', 'Martin', 'Petrov', 'Yilmaz'][n]!,
      date_of_birth: `197${n}-05-0${n + 1}`,
    });
    const messages = [0, 1, 2, 3, 4].map((n) =>
      message({
        ...person(n),
        face_image: faceDataUrl({ family: 5510 + n, member: 0 }, 1, n === 2 ? 'print' : null),
      }),
    );
    for (const m of messages) await decideRecordMessage(plain.ctx, 0, m);
    const decided = await decideRecordBatch(batched.ctx, 0, messages);
    expect(decided.map((d) => d.status)).toEqual(['new', 'new', 'rejected', 'new', 'new']);
    expect(await outcomes(batched, messages)).toEqual(await outcomes(plain, messages));
    const spoof = await batched.tdb.db
      .selectFrom('records')
      .select(['decision_rule', 'explanation'])
      .where('id', '=', messages[2]!.recordId)
      .executeTakeFirstOrThrow();
    expect(spoof.decision_rule).toBe('liveness_failed');
    expect(spoof.explanation).toMatchObject({ liveness: { checked: true, live: false } });
    const after = batched.sim.stats();
    expect(after.spoofSamplesAtAbis).toBe(0);
    // Four live faces: each inserted and searched once; the spoof only checked for liveness.
    expect(after.abis.insert - before.abis.insert).toBe(4);
    expect(after.abis.identify - before.abis.identify).toBe(4);
    expect(after.lds.liveness - before.lds.liveness).toBe(5);
  });

  it('decides a redelivered batch as a redelivery: no Tech5 call, nothing written twice', async () => {
    const messages = [0, 1].map((n) =>
      message({
        external_id: `r${n}`,
        given_name: 'Jonas',
        family_name: `Weber${n}`,
        date_of_birth: '1991-02-03',
        face_image: faceDataUrl({ family: 5520 + n, member: 0 }, 1),
      }),
    );
    for (const m of messages) await decideRecordMessage(plain.ctx, 0, m);
    await decideRecordBatch(batched.ctx, 0, messages);
    expect(await outcomes(batched, messages)).toEqual(await outcomes(plain, messages));
    const before = batched.sim.stats();
    const again = await decideRecordBatch(batched.ctx, 0, messages);
    expect(again.map((d) => d.replayed)).toEqual([true, true]);
    const after = batched.sim.stats();
    expect(after.lds.liveness).toBe(before.lds.liveness);
    expect(after.abis.insert).toBe(before.abis.insert);
    expect(after.abis.identify).toBe(before.abis.identify);
    expect(after.references).toBe(before.references);
  });

  // Last: the gallery it seeds makes every later search stricter.
  it('verifies a face the 1:N search missed against the faces of an earlier record of the batch, as one at a time does', async () => {
    const subject = { family: 5530, member: 0 };
    const bob = { family: 5531, member: 0 };
    const details = {
      given_name: 'Ann',
      family_name: 'Leclerc',
      date_of_birth: '1980-03-12',
      city: 'Leeds',
      email: 'ann.leclerc@example.com',
      national_id: '553055305',
    };
    // Strangers in both galleries (the same ones: the seed follows the gallery's size, equal here).
    expect(batched.sim.stats().references).toBe(plain.sim.stats().references);
    plain.sim.seedReferences(200_000);
    batched.sim.seedReferences(200_000);
    const first = message({ external_id: 'v1', ...details, face_image: faceDataUrl(subject, 1) });
    await decideRecordMessage(plain.ctx, 0, first);
    // A capture the search among everyone misses and a 1:1 comparison returns (faceVerification.test.ts).
    let poor: string | undefined;
    for (let seed = 2; seed < 400 && poor === undefined; seed++) {
      const record = {
        ...details,
        external_id: 'probe',
        face_image: faceDataUrl(subject, seed),
        attributes: {},
      };
      const searched = await plain.ctx.biometrics!.identify(record);
      if (searched?.matches.some((m) => m.referenceId === first.recordId)) continue;
      const verified = await plain.ctx.biometrics!.verify(record, [first.recordId]);
      if (verified?.matches.some((m) => m.referenceId === first.recordId)) poor = record.face_image;
    }
    expect(poor).toBeDefined();
    const messages = [
      first,
      message({ external_id: 'v2', ...details, face_image: poor }),
      // The same details with another person's face: not returned, nor verified.
      message({ external_id: 'v3', ...details, face_image: faceDataUrl(bob, 7) }),
    ];
    for (const m of messages.slice(1)) await decideRecordMessage(plain.ctx, 0, m);
    const decided = await decideRecordBatch(batched.ctx, 0, messages);
    expect(decided.map((d) => d.status)).toEqual(['new', 'linked', 'review']);
    expect(await outcomes(batched, messages)).toEqual(await outcomes(plain, messages));
    const verified = await batched.tdb.db
      .selectFrom('records')
      .select('explanation')
      .where('id', '=', messages[1]!.recordId)
      .executeTakeFirstOrThrow();
    expect(verified.explanation).toMatchObject({
      biometric: { level: 'match', verified: true, referenceId: first.recordId },
    });
  }, 300_000);
});

describe('the search of a face inserted ahead', () => {
  it('applies the threshold of a search among the eligible references, as a search among only them does', async () => {
    const sim = await startTech5Simulator();
    try {
      const tech5 = new Tech5Biometrics({ ldsUrl: sim.ldsUrl, abisUrl: sim.abisUrl, client: FAST_TECH5 });
      const subject = { family: 5540, member: 0 };
      const record = (seed: number) => ({
        external_id: `t${seed}`,
        given_name: 'Tove',
        family_name: 'Lund',
        face_image: faceDataUrl(subject, seed),
        attributes: {},
      });
      // 10,000 strangers and a first capture; each probe inserted under its own id.
      sim.seedReferences(10_000);
      await tech5.insertAhead('first', record(1));
      const searched = sim.stats().references + 1;
      let edge: { seed: number; hits: string[] } | undefined;
      for (let seed = 2; seed < 200 && edge === undefined; seed++) {
        const probe = `probe-${seed}`;
        await tech5.insertAhead(probe, record(seed));
        const ids = async (eligible: number) =>
          (await tech5.identifyInserted(probe, { searched, eligible, extra: 0 })).matches.map(
            (m) => m.referenceId,
          );
        const [few, all] = [await ids(2), await ids(searched)];
        // What a search among exactly 2 references (a MOSIP gallery) returns at the same target.
        const amongTwo = await tech5.abis.identify({
          referenceId: probe,
          gallery: ['first', 'seed-1-0'],
          targetFPIR: DEFAULT_TARGET_FPIR,
        });
        expect(few.includes('first')).toBe(amongTwo.some((m) => m.referenceId === 'first'));
        // A capture found among 2 references and missed among 10,002: on the edge.
        if (few.includes('first') && !all.includes('first')) edge = { seed, hits: few };
        await tech5.remove(probe);
      }
      expect(edge).toBeDefined();
    } finally {
      await sim.close();
    }
  }, 300_000);
});
