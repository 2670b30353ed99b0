import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foundGoldenRecord } from '@nexus/actors';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { startTestServer, type TestServer } from '../../../../test/serverHarness';
import { createNexusClient, type NexusClient } from '../client/createNexusClient';

let tdb: TestDatabase;
let server: TestServer;
let reviewer: NexusClient;

async function insertRecord(payload: Record<string, string>, status: 'new' | 'review', explanation?: object) {
  const id = randomUUID();
  await tdb.db
    .insertInto('records')
    .values({
      id,
      batch_id: null,
      source: 'fixture',
      external_id: payload.external_id!,
      partition: 0,
      payload: JSON.stringify(payload) as never,
      status,
      explanation: explanation ? (JSON.stringify(explanation) as never) : null,
    })
    .execute();
  return id;
}

async function golden(payload: Record<string, string>) {
  const recordId = await insertRecord(payload, 'new');
  const goldenId = await tdb.db.transaction().execute((trx) => foundGoldenRecord(trx, recordId, 'engine'));
  return { goldenId, recordId };
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  server = await startTestServer(tdb);
  reviewer = createNexusClient(server.url, await server.tokenFor('reviewer'));
});
afterAll(async () => {
  await reviewer?.close();
  await server?.close();
  await tdb?.drop();
});

describe('review.get: each candidate compared field by field', () => {
  it("keeps the decision's levels for its focus candidate and compares the others with the active model", async () => {
    const focus = await golden({
      external_id: 'g1',
      given_name: 'Ana',
      family_name: 'Costa',
      date_of_birth: '1990-05-01',
    });
    const other = await golden({
      external_id: 'g2',
      given_name: 'Rita',
      family_name: 'Costa',
      date_of_birth: '1971-11-30',
    });
    // The decision's levels are deliberately not what the comparators would say: they must win.
    const decided = [
      { field: 'given_name', level: 'close', weight: 4, left: 'ana', right: 'ana' },
      { field: 'family_name', level: 'exact', weight: 7, left: 'costa', right: 'costa' },
    ];
    const recordId = await insertRecord(
      { external_id: 'in', given_name: 'Ana', family_name: 'Costa', date_of_birth: '1990-05-01' },
      'review',
      {
        modelVersion: '1',
        prior: -12,
        fields: decided,
        total: -1,
        thresholds: { link: 0, review: -2 },
        rule: 'between_thresholds',
        candidates: [
          { goldenId: focus.goldenId, recordId: focus.recordId, score: -1 },
          { goldenId: other.goldenId, recordId: other.recordId, score: -1.5 },
        ],
      },
    );
    const caseId = randomUUID();
    await tdb.db
      .insertInto('review_cases')
      .values({ id: caseId, record_id: recordId, kind: 'possible_match', status: 'open', score: -1 })
      .execute();
    await tdb.db
      .insertInto('review_case_candidates')
      .values([
        {
          case_id: caseId,
          golden_id: focus.goldenId,
          score: -1,
          explanation: JSON.stringify({ bestMember: focus.recordId }) as never,
        },
        {
          case_id: caseId,
          golden_id: other.goldenId,
          score: -1.5,
          explanation: JSON.stringify({ bestMember: other.recordId }) as never,
        },
      ])
      .execute();

    const view = await reviewer.trpc.review.get.query({ caseId });
    expect(view.case).toMatchObject({ name: 'Ana Costa', dateOfBirth: '1990-05-01' });
    const byId = new Map(view.candidates.map((c) => [c.goldenId, c.comparison]));
    expect(byId.get(focus.goldenId)).toEqual({ from: 'decision', fields: decided });
    const recomputed = byId.get(other.goldenId)!;
    expect(recomputed.from).toBe('active_model');
    const level = (field: string) => recomputed.fields.find((f) => f.field === field)?.level;
    expect(level('family_name')).toBe('exact');
    expect(level('date_of_birth')).not.toBe('exact');
    expect(level('given_name')).not.toBe('exact');
  });
});
