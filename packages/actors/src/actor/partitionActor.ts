import { setTimeout as sleep } from 'node:timers/promises';
import type { BusConsumer, BusMessage } from '../bus/recordBus';
import type { Db } from '../db/database';
import type { Tech5CallReport } from '../tech5/callMetrics';
import type { RecordOutcome, WorkerReply, WorkerTask } from '../worker/protocol';
import { deadLetterRecord } from './deadLetters';
import { wallClockMs, type DeliveryTiming } from './deliveryTiming';
import { backoffMs, RestartWindow, type SupervisionPolicy } from './supervision';

export type ActorState = 'running' | 'backing_off' | 'paused' | 'stopped';

export interface ActorSnapshot {
  partition: number;
  state: ActorState;
  inFlight: number;
  position: number;
  mailbox: number;
  restarts: number;
  decided: number;
  deadLettered: number;
  lastError: string | null;
  pausedUntil: number | null;
}

export interface PartitionActorOptions {
  partition: number;
  consumer: BusConsumer;
  db: Db;
  policy: SupervisionPolicy;
  /** Records per task: more amortises the thread hop, fewer keeps latency low. */
  batchSize: number;
  runTask: (task: WorkerTask) => Promise<WorkerReply>;
  onOutcome?: (partition: number, outcome: RecordOutcome, timing: DeliveryTiming) => void;
  onDeadLetter?: (partition: number, recordId: string, error: string) => void;
  /** A task failed as a whole (its worker thread died, say): the records in it are retried. */
  onTaskFailed?: (partition: number, error: unknown) => void;
  /** The actor's loop ended on an error (the supervisor starts a new one). */
  onStopped?: (partition: number, error: unknown) => void;
  /** The partition restarted too often: paused for the cool-down. */
  onPaused?: (partition: number, pauseMs: number, lastError: string) => void;
  /** The Tech5 calls a worker thread made since its previous reply. */
  onTech5Calls?: (report: Tech5CallReport) => void;
  /**
   * Runs after records are persisted (decided or dead-lettered) and before their position is
   * committed, e.g. to publish their events: a crash in between redelivers them, and the events
   * are published again. A failure stops the actor; the supervisor starts it again.
   */
  beforeCommit?: (partition: number, recordIds: string[]) => Promise<void>;
}

/**
 * One actor per partition, in the main thread: an ordered mailbox, at most one task in flight,
 * and one-for-one supervision (retry with backoff, dead-letter after the retry budget, pause when
 * restarting too often). The position is committed only after the records before it are decided.
 */
export class PartitionActor {
  private state: ActorState = 'running';
  private mailbox: BusMessage[] = [];
  /** When the mailbox's current contents were fetched (one fetch fills an empty mailbox). */
  private fetchedAt = 0;
  private inFlight = 0;
  private position = 0;
  private decided = 0;
  private deadLettered = 0;
  private lastError: string | null = null;
  private pausedUntil: number | null = null;
  private readonly attempts = new Map<number, number>();
  private readonly restarts: RestartWindow;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  /** After a failure, tasks carry one record until one succeeds, so a crash is blamed precisely. */
  private careful = false;
  /** Infrastructure failures in a row (an outage): they pace the backoff, never the dead-lettering. */
  private outageRetries = 0;

  constructor(private readonly o: PartitionActorOptions) {
    this.restarts = new RestartWindow(o.policy);
  }

  start(): void {
    this.loop ??= this.run().catch((error: unknown) => {
      this.lastError = `actor stopped: ${String(error)}`;
      this.state = 'stopped';
      this.o.onStopped?.(this.o.partition, error);
    });
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    this.state = 'stopped';
  }

  snapshot(): ActorSnapshot {
    return {
      partition: this.o.partition,
      state: this.state,
      inFlight: this.inFlight,
      position: this.position,
      mailbox: this.mailbox.length,
      restarts: this.restarts.count,
      decided: this.decided,
      deadLettered: this.deadLettered,
      lastError: this.lastError,
      pausedUntil: this.pausedUntil,
    };
  }

  private get stopped() {
    return this.stopping.signal.aborted;
  }

  private async run(): Promise<void> {
    const { consumer, partition, batchSize } = this.o;
    this.position = await consumer.position(partition);
    let fetchFrom = this.position;
    while (!this.stopped) {
      if (this.mailbox.length === 0) {
        this.mailbox = await consumer.fetch(partition, fetchFrom, batchSize * 4, 1000);
        this.fetchedAt = wallClockMs();
        const last = this.mailbox.at(-1);
        if (last) fetchFrom = last.offset + 1;
        continue;
      }
      const batch = this.mailbox.slice(0, this.careful ? 1 : batchSize);
      const dispatchedAt = wallClockMs();
      const { outcomes, precise } = await this.runBatch(batch);
      const timing = { fetchedAt: this.fetchedAt, dispatchedAt, answeredAt: wallClockMs() };
      const failure = outcomes.find((o) => o.result === 'failed');
      const done = outcomes.filter((o) => o.result === 'decided');
      for (const o of done) this.o.onOutcome?.(partition, o, timing);
      this.decided += done.length;
      this.mailbox.splice(0, done.length);
      const lastDone = done.at(-1);
      if (lastDone) {
        this.position = lastDone.offset + 1;
        this.careful = false;
        this.outageRetries = 0;
        await this.o.beforeCommit?.(
          partition,
          done.map((o) => o.recordId),
        );
        await consumer.commit(partition, this.position);
      }
      if (failure) await this.supervise(failure, precise);
    }
  }

  /** `precise` is false when a multi-record task died as a whole: the failure may be a neighbour's. */
  private async runBatch(batch: BusMessage[]): Promise<{ outcomes: RecordOutcome[]; precise: boolean }> {
    this.inFlight = batch.length;
    try {
      const reply = await this.o.runTask({
        type: 'decide',
        partition: this.o.partition,
        messages: batch.map((m) => ({ offset: m.offset, value: m.value })),
      });
      if (reply.type !== 'decided') throw new Error(`worker answered ${reply.type} to decide`);
      if (reply.tech5) this.o.onTech5Calls?.(reply.tech5);
      return { outcomes: reply.outcomes, precise: true };
    } catch (error) {
      this.o.onTaskFailed?.(this.o.partition, error);
      // The worker thread died or the task failed as a whole: the first record is retried alone,
      // and from here one at a time, so the blame lands on the right one.
      const first = batch[0];
      if (first === undefined) throw error; // an empty task has no record to blame
      const outcomes: RecordOutcome[] = [
        {
          result: 'failed',
          offset: first.offset,
          recordId: first.value.recordId,
          error: `worker failed: ${error instanceof Error ? error.message : String(error)}`,
          retriable: true,
        },
      ];
      return { outcomes, precise: batch.length === 1 };
    } finally {
      this.inFlight = 0;
    }
  }

  private async supervise(
    failure: Extract<RecordOutcome, { result: 'failed' }>,
    precise: boolean,
  ): Promise<void> {
    const { policy, partition } = this.o;
    if (failure.infrastructure) {
      // A part the pipeline needs is down (Tech5): wait it out. Not the record's fault, so it
      // counts neither as an attempt nor as a restart; the record is retried until it goes through.
      this.lastError = failure.error;
      this.state = 'backing_off';
      await this.pause(backoffMs(policy, ++this.outageRetries));
      if (!this.stopped) this.state = 'running';
      return;
    }
    const attempts = (this.attempts.get(failure.offset) ?? 0) + (precise ? 1 : 0);
    this.attempts.set(failure.offset, attempts);
    this.lastError = failure.error;
    this.careful = true;
    if (precise && (attempts >= policy.maxAttempts || !failure.retriable)) {
      const message = this.mailbox[0];
      if (message === undefined)
        throw new Error(`partition ${partition}: a precise failure with an empty mailbox`);
      await deadLetterRecord(this.o.db, partition, message.offset, message.value, failure.error, attempts);
      this.o.onDeadLetter?.(partition, message.value.recordId, failure.error);
      this.attempts.delete(failure.offset);
      this.mailbox.shift();
      this.deadLettered++;
      this.position = message.offset + 1;
      await this.o.beforeCommit?.(partition, [message.value.recordId]);
      await this.o.consumer.commit(partition, this.position);
      this.careful = false;
      return;
    }
    if (this.restarts.record(Date.now())) {
      this.state = 'paused';
      this.pausedUntil = Date.now() + policy.pauseMs;
      this.o.onPaused?.(partition, policy.pauseMs, failure.error);
      await this.pause(policy.pauseMs);
      this.restarts.reset();
      this.pausedUntil = null;
    } else {
      this.state = 'backing_off';
      await this.pause(backoffMs(policy, Math.max(1, attempts)));
    }
    if (!this.stopped) this.state = 'running';
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
