/**
 * The Tech5 calls of a micro-batch of records with faces, in waves
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md): the liveness of every face at once
 * (bounded), beside a count of ABIS's references; the live faces inserted into ABIS under their
 * record ids; the 1:N search of each.
 * A face of the batch is in ABIS before the searches, so a record finds the face of a record of
 * the same person before it in the batch; while the batch is decided in order, a hit counts only
 * if its record came earlier and joined a golden record (as if that record had been enrolled
 * after its commit and the next one searched after it), and every other hit of the batch is
 * dropped, as if it had not been in ABIS. After the commit, the faces of records that joined no
 * golden record leave ABIS again.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { CanonicalRecord } from '@nexus/schema';
import type { Db } from '../../db/database';
import { biometricEvidence, type BiometricEvidence, type CandidateGolden } from '@nexus/matching';
import { goldenWithEnrolledFaces, loadGoldenCandidates, mapHitsToGolden } from '../biometricReferences';
import type { BatchFaceStages, BiometricSearch, LivenessResult } from '../biometricStages';
import { databaseNow, decidedAlready } from '../faceCallQueries';
import { forgetFacesAhead, noteFacesAhead } from './facesAhead';

/** A face of the batch once its waves are done: spoofs stop at liveness (invariant 4). */
export type BatchFace =
  | { kind: 'spoof'; liveness: LivenessResult }
  | { kind: 'searched'; liveness: LivenessResult; search: BiometricSearch & { limit: number } };

/** The in-memory golden records of the batch, as the candidate pool holds them. */
export interface BatchGoldenView {
  /** Members of a golden record added by this batch, and whether the batch created it. */
  addedTo(goldenId: string): { created: boolean; members: CandidateGolden['members'] } | undefined;
}

export class BatchFaces {
  /** Record id -> the golden record its face joined, for records decided earlier in the batch. */
  private readonly joinedGolden = new Map<string, string>();
  /** Golden record -> the batch's faces in it (its gallery grows as the batch is decided). */
  private readonly galleries = new Map<string, string[]>();

  private constructor(
    private readonly biometrics: BatchFaceStages,
    readonly faces: ReadonlyMap<string, BatchFace>,
    /** Read before the searches: faces enrolled before it were in ABIS when they ran. */
    readonly since: Date,
    /** The faces inserted ahead, in offset order. */
    private readonly inserted: readonly string[],
    /** Names this batch's rows in the ledger of faces inserted ahead (facesAhead.ts). */
    private readonly batchId: string,
  ) {}

  /**
   * Runs the waves for the batch's records with a face that are not decided yet (a redelivery
   * skips Tech5, as on the one-record path), at most `concurrency` calls at once. On a failure,
   * the faces inserted so far leave ABIS again before it is thrown.
   */
  static async run(
    db: Db,
    biometrics: BatchFaceStages,
    records: ReadonlyArray<{ recordId: string; record: CanonicalRecord }>,
    concurrency: number,
  ): Promise<BatchFaces> {
    const decided = await decidedAlready(
      db,
      records.map((r) => r.recordId),
    );
    const open = records.filter((r) => !decided.has(r.recordId));
    const batchId = randomUUID();
    if (open.length === 0) return new BatchFaces(biometrics, new Map(), new Date(0), [], batchId);
    // What ABIS holds before the batch's faces, asked beside the liveness wave (no latency of its own).
    const counted = biometrics.referenceCount();
    counted.catch(() => undefined);
    const checked = await bounded(open, concurrency, (r) => biometrics.checkLiveness(r.record));
    const livenessOf = new Map(open.map((r, i) => [r.recordId, answerAt(checked, i)]));
    const live = open.filter((r) => livenessOf.get(r.recordId)?.live === true);
    const faces = new Map<string, BatchFace>();
    for (const [recordId, liveness] of livenessOf) {
      if (!liveness.live) faces.set(recordId, { kind: 'spoof', liveness });
    }
    if (live.length === 0) {
      await counted.catch(() => undefined);
      return new BatchFaces(biometrics, faces, new Date(0), [], batchId);
    }
    const since = await databaseNow(db);
    // Committed before the first insert: a face in ABIS on behalf of the batch is always in the
    // ledger, whatever ends the batch before its clean-up (ADR 0055, "Faces left in ABIS").
    await noteFacesAhead(
      db,
      batchId,
      live.map((r) => r.recordId),
    );
    try {
      await bounded(live, concurrency, (r) => biometrics.insertAhead(r.recordId, r.record));
      const before = await counted;
      const searches = await bounded(live, concurrency, (r, i) =>
        biometrics.identifyInserted(r.recordId, {
          searched: before + live.length,
          // What the record's own search would have seen: ABIS before, and the faces before it.
          eligible: before + i,
          extra: live.length,
        }),
      );
      live.forEach((r, i) =>
        faces.set(r.recordId, {
          kind: 'searched',
          liveness: answerAt(checked, open.indexOf(r)),
          search: answerAt(searches, i),
        }),
      );
    } catch (error) {
      // Every face of the ledger's rows, inserted or not (a delete of a face not there is done).
      const noted = live.map((r) => r.recordId);
      await new BatchFaces(biometrics, faces, since, noted, batchId).release(db).catch(() => undefined);
      throw error;
    }
    return new BatchFaces(
      biometrics,
      faces,
      since,
      live.map((r) => r.recordId),
      batchId,
    );
  }

  /**
   * The face evidence of a record decided in the batch, as faceEvidence gives it on the
   * one-record path: hits mapped to golden records (those of the batch in memory), the golden
   * records only the face found, and which candidates had a face in ABIS before the search.
   */
  async evidence(
    trx: Db,
    recordId: string,
    candidates: ReadonlyArray<{ goldenId: string }>,
    view: BatchGoldenView,
  ): Promise<{ evidence: BiometricEvidence; extra: CandidateGolden[] } | null> {
    const face = this.faces.get(recordId);
    if (face?.kind !== 'searched') return null;
    const batch = new Set(this.inserted);
    // Faces of the batch that would not have been in ABIS: this record's, later ones', and
    // earlier ones' that joined no golden record. Then MOSIP's cut at maxResults, best first.
    const counted = face.search.matches
      .filter((m) => !batch.has(m.referenceId) || this.joinedGolden.has(m.referenceId))
      .slice(0, face.search.limit);
    const stored = await mapHitsToGolden(
      trx,
      counted.filter((m) => !batch.has(m.referenceId)),
    );
    const byReference = new Map(stored.map((h) => [h.referenceId, h]));
    const hits = counted.map(
      (m) =>
        byReference.get(m.referenceId) ?? {
          referenceId: m.referenceId,
          goldenId: this.joinedGolden.get(m.referenceId) ?? null,
          scaledScore: m.scaledScore,
          internalScore: m.internalScore,
        },
    );
    const known = new Set(candidates.map((c) => c.goldenId));
    const missing = [
      ...new Set(hits.map((h) => h.goldenId).filter((id): id is string => id !== null && !known.has(id))),
    ];
    const extra = await this.goldenCandidates(trx, missing, view);
    const goldenIds = [...known, ...extra.map((e) => e.goldenId)];
    const enrolled = await goldenWithEnrolledFaces(trx, goldenIds, this.since);
    for (const id of goldenIds) if (this.galleries.has(id)) enrolled.add(id);
    return { evidence: biometricEvidence(hits, enrolled), extra };
  }

  /** The batch's faces in each golden record, for a verification against its own faces. */
  gallery(goldenId: string): readonly string[] {
    return this.galleries.get(goldenId) ?? [];
  }

  /** The record's face joined this golden record: records after it find it there. */
  joined(recordId: string, goldenId: string): void {
    if (this.faces.get(recordId)?.kind !== 'searched') return;
    this.joinedGolden.set(recordId, goldenId);
    this.galleries.set(goldenId, [...(this.galleries.get(goldenId) ?? []), recordId]);
  }

  isSearched(recordId: string): boolean {
    return this.faces.get(recordId)?.kind === 'searched';
  }

  /**
   * Takes out of ABIS the faces inserted ahead that no committed biometric reference holds (a
   * review, a failed batch, a record decided elsewhere meanwhile): ABIS then holds the faces
   * the one-record path would have enrolled, and no other. Then the batch's rows leave the ledger
   * of faces inserted ahead; if anything here fails they stay, and the sweep finishes the work.
   */
  async release(db: Db): Promise<void> {
    if (this.inserted.length === 0) return;
    const { rows } = await sql<{ reference_id: string }>`
      select reference_id::text as reference_id from biometric_references
      where reference_id = any(${[...this.inserted]}::uuid[])`.execute(db);
    const kept = new Set(rows.map((r) => r.reference_id));
    const orphans = this.inserted.filter((id) => !kept.has(id));
    await bounded(orphans, Math.max(1, orphans.length), (id) => this.biometrics.remove(id));
    await forgetFacesAhead(db, this.batchId, this.inserted);
  }

  /**
   * Golden records only the face found, with their members now: stored ones as the database
   * holds them plus the members the batch added, then those the batch created (their members
   * were all linked after any stored golden record's first one).
   */
  private async goldenCandidates(
    trx: Db,
    ids: readonly string[],
    view: BatchGoldenView,
  ): Promise<CandidateGolden[]> {
    const created = ids.filter((id) => view.addedTo(id)?.created === true);
    const stored = await loadGoldenCandidates(
      trx,
      ids.filter((id) => !created.includes(id)),
    );
    return [
      ...stored.map((g) => ({ ...g, members: [...g.members, ...(view.addedTo(g.goldenId)?.members ?? [])] })),
      ...created.map((goldenId) => ({ goldenId, members: [...(view.addedTo(goldenId)?.members ?? [])] })),
    ];
  }
}

/** `fn` over `items`, at most `limit` at once, answers in the items' order; a failure rejects once all calls under way have ended. */
async function bounded<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const lane = async () => {
    // After a failure no lane starts another call.
    while (next < items.length && !failed) {
      const i = next++;
      try {
        out[i] = await fn(answerAt(items, i), i);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  // Every call under way ends before this does (a face inserted after its release would stay).
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const failure = lanes.find((l) => l.status === 'rejected');
  if (failure) throw failure.reason;
  return out;
}

/** The answer at `i` of a list made one per item: its absence is a bug, said so. */
function answerAt<T>(answers: readonly T[], i: number): T {
  if (i < 0 || i >= answers.length) throw new Error(`face batch: no answer at ${i} of ${answers.length}`);
  return answers[i] as T;
}
