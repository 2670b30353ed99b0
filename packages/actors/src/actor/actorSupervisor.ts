import { EventEmitter } from 'node:events';
import { sql } from 'kysely';
import { Piscina } from 'piscina';
import type { BusConsumer, RecordBus } from '../bus/recordBus';
import type { Db } from '../db/database';
import type { Tech5CallReport } from '../tech5/callMetrics';
import type { RecordOutcome, WorkerConfig, WorkerReply, WorkerTask } from '../worker/protocol';
import type { DeliveryTiming } from './deliveryTiming';
import { PartitionActor, type ActorSnapshot } from './partitionActor';
import type { SupervisionPolicy } from './supervision';

/** The Piscina worker entry (a .mjs shim that loads the TypeScript worker). */
const RECORD_WORKER_FILE = new URL('../worker/entry.mjs', import.meta.url).href;

export interface SupervisorOptions {
  db: Db;
  bus: RecordBus;
  groupId: string;
  workers: number;
  concurrency: number;
  batchSize: number;
  policy: SupervisionPolicy;
  worker: Omit<WorkerConfig, 'poolSize'>;
  /** How often to try to take partitions that another process let go. */
  claimIntervalMs?: number;
  /** Runs before a position is committed, with the records persisted up to it (events out). */
  beforeCommit?: (partition: number, recordIds: string[]) => Promise<void>;
}

export interface SupervisorEvents {
  outcome: [partition: number, outcome: RecordOutcome, timing: DeliveryTiming];
  deadLetter: [partition: number, recordId: string, error: string];
  /** A worker thread died outside a task. */
  poolError: [error: unknown];
  /** A task failed as a whole (its worker thread died, say); its records are retried. */
  taskFailed: [partition: number, error: unknown];
  /** An actor's loop ended on an error; the next claim starts a new one. */
  actorStopped: [partition: number, error: unknown];
  /** A partition restarted too often and is paused for the cool-down. */
  partitionPaused: [partition: number, pauseMs: number, lastError: string];
  tech5Calls: [report: Tech5CallReport];
}

export class WorkerStartError extends Error {
  readonly code = 'ENGINE.WORKER_START_FAILED';
}

/**
 * Owns the worker pool and one PartitionActor per partition this process holds. Partitions are
 * claimed from the bus (another process may hold some) and re-claimed periodically, so a second
 * process takes over the partitions of one that died.
 */
export class ActorSupervisor extends EventEmitter<SupervisorEvents> {
  readonly pool: Piscina<WorkerTask, WorkerReply>;
  private readonly actors = new Map<number, PartitionActor>();
  private consumer: BusConsumer | undefined;
  private claimTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** Claims run one at a time: the timer and ownership changes (rebalances) both ask for them. */
  private claiming: Promise<void> = Promise.resolve();
  private decidedSinceAnalyze = 0;
  private decidedTotal = 0;
  private analyzing = false;

  constructor(private readonly o: SupervisorOptions) {
    super();
    this.pool = new Piscina<WorkerTask, WorkerReply>({
      filename: RECORD_WORKER_FILE,
      minThreads: o.workers,
      maxThreads: o.workers,
      concurrentTasksPerWorker: o.concurrency,
      atomics: 'disabled',
      idleTimeout: Number.POSITIVE_INFINITY,
      workerData: { ...o.worker, poolSize: o.concurrency + 1 } satisfies WorkerConfig,
    });
    // A worker that dies outside a task (e.g. its set-up fails while the database goes away)
    // surfaces here; tasks in flight fail on their own and the actors retry them.
    this.pool.on('error', (error: unknown) => {
      this.lastPoolError = error instanceof Error ? error.message : String(error);
      this.emit('poolError', error);
    });
  }

  /** Why a worker thread last died outside a task, for /health. */
  lastPoolError: string | undefined;

  async start(): Promise<void> {
    // A worker that cannot set up (database unreachable, bad model) must stop the start here,
    // not turn every record into a retry.
    try {
      await this.pool.run({ type: 'ping' });
    } catch (error) {
      await this.pool.destroy();
      throw new WorkerStartError(`record workers failed to start: ${String(error)}`, { cause: error });
    }
    this.consumer = await this.o.bus.openConsumer(this.o.groupId);
    this.consumer.onOwnershipChange(() => void this.claimSoon());
    await this.claimSoon();
    this.claimTimer = setInterval(() => void this.claimSoon(), this.o.claimIntervalMs ?? 2000);
  }

  private claimSoon(): Promise<void> {
    this.claiming = this.claiming.then(() => this.claim()).catch(() => undefined);
    return this.claiming;
  }

  private async claim(): Promise<void> {
    if (this.stopping || !this.consumer) return;
    const consumer = this.consumer;
    const owned = new Set(await consumer.claimPartitions());
    // Lost partitions: each actor finishes its task in flight and commits, then the partition is
    // released, so its next owner starts from that position and never overlaps with this one.
    const lost = [...this.actors].filter(([partition]) => !owned.has(partition));
    await Promise.all(
      lost.map(async ([partition, actor]) => {
        this.actors.delete(partition);
        await actor.stop();
        await consumer.release(partition);
      }),
    );
    for (const [partition, actor] of this.actors) {
      // An actor whose loop died (e.g. events could not be published) starts again from its
      // committed position.
      if (actor.snapshot().state === 'stopped') this.actors.delete(partition);
    }
    for (const partition of owned) {
      if (this.actors.has(partition) || this.stopping) continue;
      const actor = new PartitionActor({
        partition,
        consumer: this.consumer,
        db: this.o.db,
        policy: this.o.policy,
        batchSize: this.o.batchSize,
        runTask: (task) => this.pool.run(task),
        onOutcome: (p, outcome, timing) => {
          this.emit('outcome', p, outcome, timing);
          this.keepStatisticsFresh();
        },
        onDeadLetter: (p, id, error) => this.emit('deadLetter', p, id, error),
        onTaskFailed: (p, error) => this.emit('taskFailed', p, error),
        onStopped: (p, error) => this.emit('actorStopped', p, error),
        onPaused: (p, pauseMs, lastError) => this.emit('partitionPaused', p, pauseMs, lastError),
        onTech5Calls: (report) => this.emit('tech5Calls', report),
        beforeCommit: this.o.beforeCommit,
      });
      this.actors.set(partition, actor);
      actor.start();
    }
  }

  /**
   * The tables the deciders read grow from empty at full speed, faster than autovacuum analyses
   * them; stale statistics give seq-scan plans that slow every decision. Analyse as they double.
   */
  private keepStatisticsFresh(): void {
    this.decidedSinceAnalyze++;
    this.decidedTotal++;
    if (this.analyzing || this.decidedSinceAnalyze < Math.max(500, this.decidedTotal / 2)) return;
    this.analyzing = true;
    this.decidedSinceAnalyze = 0;
    void sql`analyze records, golden_records, golden_record_members, blocking_keys, review_cases`
      .execute(this.o.db)
      .catch(() => undefined)
      .finally(() => (this.analyzing = false));
  }

  snapshot(): ActorSnapshot[] {
    return [...this.actors.values()].map((a) => a.snapshot()).sort((a, b) => a.partition - b.partition);
  }

  async lag(): Promise<Map<number, number>> {
    return this.consumer ? this.consumer.lag() : new Map();
  }

  /** Drains: each actor finishes its task in flight and commits, then the pool and consumer close. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.claimTimer);
    await this.claiming;
    const consumer = this.consumer;
    await Promise.all(
      [...this.actors].map(async ([partition, actor]) => {
        await actor.stop();
        await consumer?.release(partition);
      }),
    );
    this.actors.clear();
    await this.pool.destroy();
    await this.consumer?.close();
  }
}
