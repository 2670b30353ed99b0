/**
 * The biometric stages of the pipeline, record by record against the simulator and real Postgres:
 * conflicting evidence goes to review, redelivery never enrols twice, an enrolment interrupted by
 * an outage is finished by the redelivery, references follow merges.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { loadActiveModel, Tech5Biometrics, Tech5UnavailableError } from '@nexus/actors';
import {
  decideRecordMessage,
  type PipelineContext,
} from '../../../../packages/actors/src/pipeline/decideRecordMessage';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { FAST_TECH5, faceDataUrl, message } from './faces';

const ann = {
  given_name: 'Ann',
  family_name: 'Lee',
  date_of_birth: '1980-03-12',
  city: 'Leeds',
  email: 'ann.lee@example.com',
  national_id: '123456789',
};
const bob = {
  given_name: 'Robert',
  family_name: 'Okafor',
  date_of_birth: '1955-10-01',
  city: 'Lagos',
  phone: '+442071234567',
};
const cho = {
  given_name: 'Mei',
  family_name: 'Chen',
  date_of_birth: '1991-06-30',
  city: 'Lyon',
  email: 'mei.chen@example.org',
};
const dan = {
  given_name: 'Dan',
  family_name: 'Wright',
  date_of_birth: '1972-01-15',
  city: 'Lima',
  email: 'dan.w@example.net',
};
const ANN = { family: 101, member: 0 };
const BOB = { family: 202, member: 0 };
const CHO = { family: 303, member: 0 };
const DAN = { family: 404, member: 0 };

let tdb: TestDatabase;
let sim: Tech5Simulator;
let ctx: PipelineContext;
let n = 0;
const decide = (m: ReturnType<typeof message>) => decideRecordMessage(ctx, 0, m);
const withFace = <T extends object>(fields: T, subject: { family: number; member: number }) => ({
  external_id: `x${++n}`,
  ...fields,
  face_image: faceDataUrl(subject, 1000 + n),
});

beforeAll(async () => {
  [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
  ctx = {
    db: tdb.db,
    model: await loadActiveModel(tdb.db),
    biometrics: new Tech5Biometrics({ ldsUrl: sim.ldsUrl, abisUrl: sim.abisUrl, client: FAST_TECH5 }),
  };
});
afterAll(async () => {
  await sim?.close();
  await tdb?.drop();
});
beforeEach(() => sim.setFaults({}));

async function record(id: string) {
  return tdb.db.selectFrom('records').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
async function reviewCase(recordId: string) {
  const c = await tdb.db
    .selectFrom('review_cases')
    .selectAll()
    .where('record_id', '=', recordId)
    .executeTakeFirstOrThrow();
  const candidates = await tdb.db
    .selectFrom('review_case_candidates')
    .selectAll()
    .where('case_id', '=', c.id)
    .execute();
  return { ...c, candidates };
}

describe('faces in the pipeline', () => {
  let annGolden: string;

  it('links a duplicate whose face matches, and explains liveness and the face match', async () => {
    const first = await decide(message(withFace(ann, ANN)));
    expect(first.status).toBe('new');
    annGolden = first.goldenId!;
    const again = await decide(message(withFace({ ...ann, given_name: 'Anne', email: undefined }, ANN)));
    expect(again).toMatchObject({ status: 'linked', goldenId: annGolden });
    const row = await record(again.recordId);
    expect(row.explanation).toMatchObject({
      liveness: { checked: true, live: true },
      biometric: { level: 'match', hits: [{ goldenId: annGolden }] },
    });
    const refs = await tdb.db
      .selectFrom('biometric_references')
      .selectAll()
      .where('golden_id', '=', annGolden)
      .execute();
    expect(refs.map((r) => r.status)).toEqual(['enrolled', 'enrolled']);
  });

  it('sends a strong face match with different demographics to review, with both pieces of evidence', async () => {
    const decided = await decide(message(withFace(bob, ANN)));
    expect(decided.status).toBe('review');
    const row = await record(decided.recordId);
    expect(row.decision_rule).toBe('biometric_demographic_conflict');
    expect(row.explanation).toMatchObject({ biometric: { level: 'match' } });
    const c = await reviewCase(decided.recordId);
    expect(c.kind).toBe('biometric_conflict');
    expect(c.candidates).toHaveLength(1);
    expect(c.candidates[0]).toMatchObject({
      golden_id: annGolden,
      explanation: { biometric: { level: 'match' } },
    });
    expect((c.candidates[0]!.explanation as { demographic: number }).demographic).toBeLessThan(-2);
  });

  it('sends matching demographics with a face that does not match to review, never to a link', async () => {
    const decided = await decide(message(withFace(ann, BOB)));
    expect(decided.status).toBe('review');
    const c = await reviewCase(decided.recordId);
    expect(c.kind).toBe('biometric_conflict');
    expect(c.candidates[0]).toMatchObject({
      golden_id: annGolden,
      explanation: { biometric: { level: 'no_match' } },
    });
  });

  it('rejects a spoof at once, and never searches it', async () => {
    const before = sim.stats();
    const spoof = message({ external_id: `x${++n}`, ...ann, face_image: faceDataUrl(ANN, 77, 'screen') });
    const decided = await decide(spoof);
    expect(decided.status).toBe('rejected');
    const row = await record(decided.recordId);
    expect(row.decision_rule).toBe('liveness_failed');
    expect(row.explanation).toMatchObject({ liveness: { checked: true, live: false } });
    const after = sim.stats();
    expect(after.lds.spoof - before.lds.spoof).toBe(1);
    expect(after.abis.identify).toBe(before.abis.identify);
    expect(after.spoofSamplesAtAbis).toBe(0);
  });

  it('rejects a face image that cannot be read', async () => {
    const missing = await decide(
      message({ external_id: `x${++n}`, ...cho, face_image: '/no/such/face.png' }),
    );
    const garbage = await decide(
      message({
        external_id: `x${++n}`,
        ...cho,
        face_image: `data:image/png;base64,${Buffer.from('nope').toString('base64')}`,
      }),
    );
    for (const d of [missing, garbage]) {
      expect(d.status).toBe('rejected');
      expect((await record(d.recordId)).errors).toEqual([
        { field: 'face_image', message: expect.any(String) as string },
      ]);
    }
  });

  it('never enrols twice on redelivery, and a redelivery finishes an enrolment an outage interrupted', async () => {
    const m = message(withFace(cho, CHO));
    sim.setFaults({ services: ['abis'], operations: ['insert'], unavailable: true });
    const outage = await decide(m).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(Tech5UnavailableError);
    expect((await record(m.recordId)).status).toBe('new'); // the decision stands
    const pending = await tdb.db
      .selectFrom('biometric_references')
      .select('status')
      .where('reference_id', '=', m.recordId)
      .executeTakeFirstOrThrow();
    expect(pending.status).toBe('pending');
    sim.setFaults({});
    const before = sim.stats();
    const redelivered = await decide(m);
    expect(redelivered).toMatchObject({ replayed: true, status: 'new' });
    const mid = sim.stats();
    expect(mid.abis.insert - before.abis.insert).toBe(1);
    expect(mid.lds.liveness).toBe(before.lds.liveness); // a decided record skips liveness and search
    expect(mid.abis.identify).toBe(before.abis.identify);
    await decide(m);
    const after = sim.stats();
    expect(after.abis.insert).toBe(mid.abis.insert);
    const refs = await tdb.db
      .selectFrom('biometric_references')
      .selectAll()
      .where('reference_id', '=', m.recordId)
      .execute();
    expect(refs).toHaveLength(1);
    expect(refs[0]!.status).toBe('enrolled');
    const enrolled = await tdb.db
      .selectFrom('biometric_references')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    expect(after.references).toBe(Number(enrolled.n));
  });

  it('follows a merge: a face enrolled under a merged golden record points to the one it was merged into', async () => {
    const danRecord = await decide(message(withFace(dan, DAN)));
    const danGolden = danRecord.goldenId!;
    // An operator merged Ann's golden record into Dan's (here by hand: merges are not this issue's).
    await sql`update golden_records set status = 'merged', merged_into = ${danGolden} where id = ${annGolden}`.execute(
      tdb.db,
    );
    const decided = await decide(message(withFace(bob, ANN)));
    expect(decided.status).toBe('review');
    const c = await reviewCase(decided.recordId);
    expect(c.candidates.map((x) => x.golden_id)).toEqual([danGolden]);
  });
});
