/**
 * The Tech5 calls of a worker task's queued records, started ahead of their decisions
 * (docs/decisions/0054-overlap-of-the-tech5-calls.md). A record's liveness check does not depend
 * on any decision, so while one record is decided, the liveness checks of the records behind it
 * are under way, at most `concurrency` at once; the next record's 1:N search runs while the record
 * before it finishes (its enrolment's bookkeeping, the next record's own reads).
 * The pipeline's face stages (faceStages.ts) call this as they call the Tech5 stages and get
 * the running call.
 *
 * The guard: a search sent before an enrolment of this task ended may miss that face (a record
 * of the same person, decided moments earlier in the same partition). So a record's search is
 * sent as soon as the enrolment of the record before it ends (or when its own turn comes), not
 * earlier; should one still have been sent before an enrolment of the task, it is thrown away and
 * made again: the answer is the one the record would have had without prefetching. Enrolments of
 * other partitions are as concurrent as they were: the search carries the database time read
 * before it was sent (`searchedAfter`), so a face enrolled after that says nothing either way
 * (faceEvidence.ts), as for a twin decided at the same moment.
 *
 * A prefetched call that failed is not handed on: the record makes the call itself, with the
 * retries, timeouts and circuit breaker of today, so a failure is the record's own (supervision,
 * dead letters) and never another's.
 */
import { parseCanonicalRecord, type CanonicalRecord, type RawRecordMessage } from '@nexus/schema';
import type { Db } from '../db/database';
import type { BiometricSearch, BiometricStages, LivenessResult } from './biometricStages';
import { databaseNow, decidedAlready } from './faceCallQueries';

/** Liveness checks of queued records in flight at once, per task. */
export const DEFAULT_TECH5_PREFETCH = 4;

interface Prefetch {
  record: CanonicalRecord;
  liveness: Promise<LivenessResult>;
  /** Started once no enrolment of this task can come before it; null when not live. */
  search?: Promise<PrefetchedSearch | null>;
}

interface PrefetchedSearch {
  result: BiometricSearch;
  /** No enrolment of this task had begun and not ended when the search was sent. */
  clean: boolean;
  /** This task's enrolments begun before the search was sent. */
  enrolmentsBefore: number;
}

/** What `settled` resolves to: the value, or that the call failed. */
type Settled<T> = { ok: true; value: T } | { ok: false };

export class PrefetchingBiometrics implements BiometricStages {
  /** The task's records with a face, not decided before, in offset order. */
  private readonly order: Prefetch[] = [];
  /** The next record whose liveness has not been asked for; the one before it is being decided. */
  private next = 0;
  /** The prefetch whose liveness was handed out last, for the identify that follows. */
  private current: Prefetch | undefined;
  private enrolmentsBegun = 0;
  private enrolling = 0;
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private closed = false;
  /** Counts for the bench and the tests: prefetched answers used, and searches made again. */
  readonly counts = { livenessUsed: 0, searchesUsed: 0, searchesRepeated: 0, failedPrefetches: 0 };

  constructor(
    private readonly inner: BiometricStages,
    private readonly db: Db,
    private readonly concurrency = DEFAULT_TECH5_PREFETCH,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`prefetch concurrency must be a whole number of at least 1, got ${concurrency}`);
  }

  /**
   * Starts the liveness checks of a task's records with a face that are not decided yet (a
   * redelivery skips Tech5, as decideRecordMessage does), and the search of the first of them.
   * Resolves once they are under way, not answered.
   */
  async prefetch(messages: readonly RawRecordMessage[]): Promise<void> {
    const faces: Array<{ recordId: string; record: CanonicalRecord }> = [];
    for (const message of messages) {
      // Most records have no face: only those are parsed here (as batchable() tells them apart).
      if (!message.record.face_image) continue;
      const parsed = parseCanonicalRecord(message.record, { source: message.source });
      if (parsed.ok && parsed.record.face_image)
        faces.push({ recordId: message.recordId, record: parsed.record });
    }
    if (faces.length === 0) return;
    const decided = await decidedAlready(
      this.db,
      faces.map((f) => f.recordId),
    );
    for (const { recordId, record } of faces) {
      if (decided.has(recordId) || this.closed) continue;
      this.order.push({ record, liveness: this.checkAhead(record) });
    }
    this.searchNext();
  }

  async checkLiveness(record: CanonicalRecord): Promise<LivenessResult> {
    const prefetch = this.take(record);
    if (!prefetch) return this.inner.checkLiveness(record);
    // The records before this one are decided and enrolled: its search may go now, if not gone.
    prefetch.search ??= this.search(prefetch);
    this.current = prefetch;
    const answer = await settled(prefetch.liveness);
    if (answer.ok) {
      this.counts.livenessUsed++;
      return answer.value;
    }
    this.counts.failedPrefetches++;
    // The record's own call, made now as it was before prefetching; its search too.
    this.current = undefined;
    return this.inner.checkLiveness(record);
  }

  async identify(record: CanonicalRecord): Promise<BiometricSearch | null> {
    const prefetch = this.current?.record.face_image === record.face_image ? this.current : undefined;
    this.current = undefined;
    if (!prefetch?.search) return this.inner.identify(record);
    const answer = await settled(prefetch.search);
    if (!answer.ok || answer.value === null) {
      if (!answer.ok) this.counts.failedPrefetches++;
      return this.inner.identify(record);
    }
    const { result, clean, enrolmentsBefore } = answer.value;
    if (clean && enrolmentsBefore === this.enrolmentsBegun) {
      this.counts.searchesUsed++;
      return result;
    }
    // A face was enrolled by this task after the search was sent: search again, now.
    this.counts.searchesRepeated++;
    return this.inner.identify(record);
  }

  /** Verification is asked only on a conflict, inside the decision: nothing to send ahead. */
  verify(record: CanonicalRecord, referenceIds: readonly string[]): Promise<BiometricSearch | null> {
    return this.inner.verify(record, referenceIds);
  }

  async enrol(referenceId: string, record: CanonicalRecord): Promise<void> {
    this.enrolmentsBegun++;
    this.enrolling++;
    try {
      await this.inner.enrol(referenceId, record);
    } finally {
      this.enrolling--;
    }
    // The face is in ABIS: the next record's search now sees it.
    this.searchNext();
  }

  /** Resolves when every call started ahead has answered or failed (for tests). */
  async drained(): Promise<void> {
    await Promise.all(this.order.map((p) => settled<unknown>(p.search ?? p.liveness)));
  }

  /** The task is over: liveness checks not started yet are dropped; answers still due are ignored. */
  close(): void {
    this.closed = true;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /**
   * The queued prefetch of this record: the first one from the cursor with its face. Records
   * are decided in offset order, so any passed over were not asked for (decided meanwhile).
   */
  private take(record: CanonicalRecord): Prefetch | undefined {
    for (let i = this.next; i < this.order.length; i++) {
      const prefetch = this.order[i];
      if (prefetch?.record.face_image !== record.face_image) continue;
      this.next = i + 1;
      return prefetch;
    }
    return undefined;
  }

  private searchNext(): void {
    const queued = this.order[this.next];
    if (queued && !this.closed) queued.search ??= this.search(queued);
  }

  /** The 1:N search of a live face, with the database's time read before it is sent. */
  private search(prefetch: Prefetch): Promise<PrefetchedSearch | null> {
    const search = prefetch.liveness.then(async (checked): Promise<PrefetchedSearch | null> => {
      if (!checked.live || this.closed) return null;
      const searchedAfter = await databaseNow(this.db);
      const clean = this.enrolling === 0;
      const enrolmentsBefore = this.enrolmentsBegun;
      const result = await this.inner.identify(prefetch.record);
      return result ? { result: { ...result, searchedAfter }, clean, enrolmentsBefore } : null;
    });
    // Nobody may ask for it (the task stopped at an earlier record): no unhandled rejection.
    search.catch(() => undefined);
    return search;
  }

  private checkAhead(record: CanonicalRecord): Promise<LivenessResult> {
    const liveness = this.acquire().then(async (open) => {
      if (!open) throw new PrefetchDropped();
      try {
        return await this.inner.checkLiveness(record);
      } finally {
        this.release();
      }
    });
    liveness.catch(() => undefined);
    return liveness;
  }

  /** A slot among `concurrency`; resolves false when the task closed before one was free. */
  private acquire(): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) =>
      this.waiting.push(() => {
        if (this.closed) return resolve(false);
        this.running++;
        resolve(true);
      }),
    );
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }
}

class PrefetchDropped extends Error {
  constructor() {
    super('prefetch dropped: the task ended');
  }
}

async function settled<T>(promise: Promise<T>): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch {
    return { ok: false };
  }
}
