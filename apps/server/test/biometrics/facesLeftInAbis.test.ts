/**
 * Faces a micro-batch inserted into ABIS ahead of its decision and could not take out again
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md, "Faces left in ABIS"): the ledger of
 * faces inserted ahead keeps track of them, and the sweep takes out those whose records were
 * decided without joining a golden record (a dead letter, a review), and only those.
 */
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbisClient,
  deadLetterRecord,
  loadActiveModel,
  sweepFacesAhead,
  Tech5Biometrics,
  type ActorSupervisor,
} from '@nexus/actors';
import {
  decideRecordMessage,
  type PipelineContext,
} from '../../../../packages/actors/src/pipeline/decideRecordMessage';
import { decideRecordBatch } from '../../../../packages/actors/src/pipeline/batch/decideRecordBatch';
import { BatchFaces } from '../../../../packages/actors/src/pipeline/batch/batchFaces';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { startFaceSweep } from '../../src/engine/faceSweep';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { FAST_TECH5, faceDataUrl, message } from './faces';

let tdb: TestDatabase;
let sim: Tech5Simulator;
let biometrics: Tech5Biometrics;
let batched: PipelineContext;
let abis: AbisClient;

beforeAll(async () => {
  [tdb, sim] = await Promise.all([createTestDatabase(), startTech5Simulator()]);
  biometrics = new Tech5Biometrics({ ldsUrl: sim.ldsUrl, abisUrl: sim.abisUrl, client: FAST_TECH5 });
  batched = {
    db: tdb.db,
    model: await loadActiveModel(tdb.db),
    biometrics,
    faceBatch: { concurrency: 4 },
  };
  abis = new AbisClient(sim.abisUrl, FAST_TECH5);
});
afterAll(async () => {
  await sim?.close();
  await tdb?.drop();
});

const person = (n: number, capture: number) => ({
  external_id: `left-${n}-${capture}`,
  given_name: ['Wanjiru', 'Tomasz', 'Leilani', 'Oskar'][n]!,
  family_name: ['Kamau', 'Nowak', 'Kahale', 'Lindqvist'][n]!,
  date_of_birth: `196${n}-03-1${n}`,
  face_image: faceDataUrl({ family: 5900 + n, member: 0 }, capture),
});

/** The references a 1:N search with another capture of this person returns. */
async function found(n: number): Promise<string[]> {
  const matches = await abis.identify({ referenceUrl: person(n, 9).face_image, maxResults: 20 });
  return matches.map((m) => m.referenceId);
}

const ledger = () => tdb.db.selectFrom('faces_inserted_ahead').select('reference_id').execute();
const sweep = () => sweepFacesAhead(tdb.db, (id) => biometrics.remove(id));

/** ABIS answers liveness and inserts, then fails every search and every delete. */
async function withSearchesAndDeletesDown<T>(run: () => Promise<T>): Promise<T> {
  sim.setFaults({ services: ['abis'], unavailable: true, operations: ['identify', 'delete'] });
  try {
    return await run();
  } finally {
    sim.setFaults({});
    // The clients' circuit breaker closes again after its open time.
    await sleep(700);
  }
}

describe('faces left in ABIS by a micro-batch', () => {
  it('takes out the face of a record dead-lettered after its batch inserted it', async () => {
    const messages = [message(person(0, 1)), message(person(1, 1))];
    const before = sim.stats().references;
    await withSearchesAndDeletesDown(async () => {
      // The batch inserts both faces, its searches fail, and so does its clean-up.
      await expect(decideRecordBatch(batched, 0, messages)).rejects.toThrow();
      // One at a time, each record fails its search too; supervision gives up on it.
      for (const [offset, m] of messages.entries()) {
        const error = await decideRecordMessage(batched, 0, m).then(
          () => 'decided',
          (e: unknown) => String(e),
        );
        expect(error).not.toBe('decided');
        await deadLetterRecord(tdb.db, 0, offset, m, error, 5);
      }
    });
    expect(sim.stats().references).toBe(before + 2);
    expect(await found(0)).toContain(messages[0]!.recordId);
    // A later record of the same person meanwhile: the face of the dead letter maps to no golden
    // record and counts for nothing (it is new, and its explanation names no golden record).
    const later = message(person(0, 2));
    const decided = await decideRecordMessage({ ...batched, faceBatch: undefined }, 0, later);
    expect(decided.status).toBe('new');
    const explanation = await tdb.db
      .selectFrom('records')
      .select('explanation')
      .where('id', '=', later.recordId)
      .executeTakeFirstOrThrow();
    const hits = (
      explanation.explanation as {
        biometric: { hits: Array<{ referenceId: string; goldenId: string | null }> };
      }
    ).biometric.hits;
    expect(hits).toContainEqual(
      expect.objectContaining({ referenceId: messages[0]!.recordId, goldenId: null }),
    );

    expect(await sweep()).toMatchObject({ removed: 2 });
    expect(await found(0)).not.toContain(messages[0]!.recordId);
    expect(await found(1)).not.toContain(messages[1]!.recordId);
    // The later record's own face (it joined a golden record) stays; nothing is left to sweep.
    expect(sim.stats().references).toBe(before + 1);
    expect(await ledger()).toEqual([]);
    expect(await sweep()).toEqual({ removed: 0, held: 0 });
  });

  it('leaves the face of a record not decided yet, and keeps a face a golden record holds', async () => {
    const m = message(person(2, 1));
    // Stored and relayed, as path A's outbox leaves it (the Kafka bus writes no row before the decision).
    await tdb.db
      .insertInto('records')
      .values({
        id: m.recordId,
        batch_id: null,
        source: m.source,
        external_id: m.record.external_id,
        partition: 0,
        payload: JSON.stringify(m.record) as never,
        status: 'relayed',
        received_at: m.receivedAt,
      })
      .execute();
    // A batch that inserted its face and stopped there (a crash before its transaction).
    await BatchFaces.run(tdb.db, biometrics, [{ recordId: m.recordId, record: m.record }], 4);
    expect(await found(2)).toContain(m.recordId);
    // Not decided: its redelivery decides it, maybe in a batch with its face in ABIS right now.
    expect(await sweep()).toEqual({ removed: 0, held: 0 });
    expect(await found(2)).toContain(m.recordId);
    // Redelivered one at a time: a new person, whose face is enrolled (already there: done).
    expect((await decideRecordMessage({ ...batched, faceBatch: undefined }, 0, m)).status).toBe('new');
    expect(await sweep()).toEqual({ removed: 0, held: 1 });
    expect(await found(2)).toContain(m.recordId);
    expect(await ledger()).toEqual([]);
  });

  it('runs at the engine start and after each dead letter', async () => {
    const m = message(person(3, 1));
    await BatchFaces.run(tdb.db, biometrics, [{ recordId: m.recordId, record: m.record }], 4);
    await deadLetterRecord(tdb.db, 0, 0, m, 'gave up', 5);
    const supervisor = new EventEmitter() as unknown as ActorSupervisor;
    // Stopped at once: what it did is the sweep it runs when it starts.
    await startFaceSweep(tdb.db, sim.abisUrl, supervisor, { client: FAST_TECH5 }).stop();
    expect(await found(3)).not.toContain(m.recordId);
    // Started with an hour between sweeps: a dead letter wakes it.
    const started = startFaceSweep(tdb.db, sim.abisUrl, supervisor, {
      client: FAST_TECH5,
      intervalMs: 3_600_000,
    });
    await started.kick();
    const again = message(person(3, 2));
    await BatchFaces.run(tdb.db, biometrics, [{ recordId: again.recordId, record: again.record }], 4);
    await deadLetterRecord(tdb.db, 0, 1, again, 'gave up', 5);
    (supervisor as unknown as EventEmitter).emit('deadLetter', 0, again.recordId, 'gave up');
    await started.stop();
    expect(await found(3)).not.toContain(again.recordId);
    expect(started.lastError()).toBeUndefined();
    expect(await ledger()).toEqual([]);
  });
});
