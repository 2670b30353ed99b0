/**
 * The Tech5 calls of a worker task's queued records, started ahead of their decisions
 * (docs/decisions/0054-overlap-of-the-tech5-calls.md). Liveness and the 1:N search of a record
 * do not depend on any decision, so while one record is decided, the liveness checks and searches
 * of the records behind it are already under way, at most `concurrency` at once.
 * `decideRecordMessage` calls this as it calls the Tech5 stages and gets the running call.
 *
 * The guard: a search sent before an enrolment of this task ended may miss that face (a record
 * of the same person, decided moments earlier in the same partition). Such a search is thrown
 * away and made again when its record asks for it, after the enrolment: the answer is the one the
 * record would have had without prefetching. Enrolments of other partitions are as concurrent as
 * they were: the search carries the database time read before it was sent (`searchedAfter`), so a
 * face enrolled after that says nothing either way (faceEvidence.ts), as for a twin decided at the
 * same moment.
 *
 * A prefetched call that failed is not handed on: the record makes the call itself, with the
 * retries, timeouts and circuit breaker of today, so a failure is the record's own (supervision,
 * dead letters) and never another's.
 */
import { sql } from 'kysely';
import {
  parseCanonicalRecord,
  PENDING_RECORD_STATUSES,
  type CanonicalRecord,
  type RawRecordMessage,
} from '@nexus/schema';
import type { Db } from '../db/database';
import type { BiometricSearch, BiometricStages, LivenessResult } from './biometricStages';

/** Tech5 calls of queued records in flight at once, per task. */
export const DEFAULT_TECH5_PREFETCH = 4;

interface Prefetch {
  liveness: Promise<LivenessResult>;
  /** Settles after liveness: null when the face was not live (a spoof never reaches ABIS). */
  search: Promise<PrefetchedSearch | null>;
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
  /** Per face image, the prefetches not yet asked for, in offset order. */
  private readonly queued = new Map<string, Prefetch[]>();
  /** Per face image, the prefetch whose liveness was handed out, for the identify that follows. */
  private readonly current = new Map<string, Prefetch>();
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
   * Starts the Tech5 calls of a task's records with a face that are not decided yet (a redelivery
   * skips Tech5, as decideRecordMessage does). Resolves once they are queued, not answered.
   */
  async prefetch(messages: readonly RawRecordMessage[]): Promise<void> {
    const faces: Array<{ recordId: string; record: CanonicalRecord }> = [];
    for (const message of messages) {
      const parsed = parseCanonicalRecord(message.record, { source: message.source });
      if (parsed.ok && parsed.record.face_image)
        faces.push({ recordId: message.recordId, record: parsed.record });
    }
    if (faces.length === 0) return;
    // One read for the task: which are decided already, and the database's clock before any
    // search of this task is sent (faces enrolled before it were in ABIS when it searched).
    const { rows } = await sql<{ now: Date; decided: string[] | null }>`
      select clock_timestamp() as now, array(
        select id::text from records
        where id = any(${faces.map((f) => f.recordId)}::uuid[])
          and status is not null and status <> all(${[...PENDING_RECORD_STATUSES]}::text[])
      ) as decided`.execute(this.db);
    const searchedAfter = rows[0]!.now;
    const decided = new Set(rows[0]!.decided ?? []);
    for (const { recordId, record } of faces) {
      if (decided.has(recordId) || this.closed) continue;
      const key = record.face_image!;
      const list = this.queued.get(key) ?? [];
      list.push(this.start(record, searchedAfter));
      this.queued.set(key, list);
    }
  }

  async checkLiveness(record: CanonicalRecord): Promise<LivenessResult> {
    const key = record.face_image;
    const prefetch = key ? this.queued.get(key)?.shift() : undefined;
    if (!key || !prefetch) return this.inner.checkLiveness(record);
    this.current.set(key, prefetch);
    const answer = await settled(prefetch.liveness);
    if (answer.ok) {
      this.counts.livenessUsed++;
      return answer.value;
    }
    this.counts.failedPrefetches++;
    // The record's own call, made now as it was before prefetching; its search too.
    this.current.delete(key);
    return this.inner.checkLiveness(record);
  }

  async identify(record: CanonicalRecord): Promise<BiometricSearch | null> {
    const key = record.face_image;
    const prefetch = key ? this.current.get(key) : undefined;
    if (!key || !prefetch) return this.inner.identify(record);
    this.current.delete(key);
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

  async enrol(referenceId: string, record: CanonicalRecord): Promise<void> {
    this.enrolmentsBegun++;
    this.enrolling++;
    try {
      await this.inner.enrol(referenceId, record);
    } finally {
      this.enrolling--;
    }
  }

  /** Resolves when every call started ahead has answered or failed (for tests and shutdown). */
  async drained(): Promise<void> {
    const all = [...this.queued.values(), ...this.current.values()].flat();
    await Promise.all(all.map((p) => settled(p.search)));
  }

  /** The task is over: prefetches not started yet are dropped; answers still due are ignored. */
  close(): void {
    this.closed = true;
    this.queued.clear();
    this.current.clear();
    for (const wake of this.waiting.splice(0)) wake();
  }

  private start(record: CanonicalRecord, searchedAfter: Date): Prefetch {
    const job = this.acquire().then(async (open) => {
      if (!open) throw new PrefetchDropped();
      try {
        const checked = await this.inner.checkLiveness(record);
        const search = (async (): Promise<PrefetchedSearch | null> => {
          if (!checked.live || this.closed) return null;
          const clean = this.enrolling === 0;
          const enrolmentsBefore = this.enrolmentsBegun;
          const result = await this.inner.identify(record);
          return result ? { result: { ...result, searchedAfter }, clean, enrolmentsBefore } : null;
        })();
        // The slot is held until the search is answered too.
        search.then(
          () => this.release(),
          () => this.release(),
        );
        return { checked, search };
      } catch (error) {
        this.release();
        throw error;
      }
    });
    const liveness = job.then((j) => j.checked);
    const search = job.then((j) => j.search);
    // Nobody may ask for these (the task stopped at an earlier record): no unhandled rejection.
    liveness.catch(() => undefined);
    search.catch(() => undefined);
    return { liveness, search };
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
