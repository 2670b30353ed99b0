import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { rawRecordMessageSchema } from '@nexus/schema';
import { RestartWindow } from '../actor/supervision';
import { stderrBusLog, withTimeout, type BusLog } from './kafkaClient';
import { PartitionFeed } from './partitionFeed';
import { PartitionLeases } from './partitionLeases';
import type { BusConsumer, BusMessage } from './recordBus';

export interface KafkaConsumerTuning {
  /** Group session timeout: how long a dead process keeps its partitions (broker minimum 6 s). */
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  /** Consumer crashes tolerated in `restartWindowMs` before it stays down (and /health says so). */
  maxConsumerRestarts?: number;
  restartWindowMs?: number;
}

/**
 * A consumer group member on `raw_records`. kafkajs pushes batches; each assigned partition gets a
 * PartitionFeed that its actor pulls from. Offsets are committed by the actor after the records
 * before them are persisted (autoCommit off). Who runs a partition's actor is decided by the group
 * assignment AND a Postgres lease, taken only once the previous owner released it.
 */
export class KafkaBusConsumer implements BusConsumer {
  private consumer: Consumer | undefined;
  private assigned = new Set<number>();
  private readonly feeds = new Map<number, PartitionFeed>();
  private readonly leases: PartitionLeases;
  /** Decided positions not yet accepted by the group coordinator, retried until they are. */
  private readonly pending = new Map<number, number>();
  private readonly commitChains = new Map<number, Promise<void>>();
  private listener: (() => void) | undefined;
  private readonly restarts: RestartWindow;
  private retryTimer: NodeJS.Timeout | undefined;
  private recreateTimer: NodeJS.Timeout | undefined;
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Set when the consumer crashed more often than its restart policy allows. */
  failure: string | undefined;
  private readonly log: BusLog;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: Admin,
    private readonly topic: string,
    private readonly groupId: string,
    databaseUrl: string,
    private readonly tuning: KafkaConsumerTuning & { log?: BusLog },
  ) {
    this.log = tuning.log ?? stderrBusLog;
    this.leases = new PartitionLeases(databaseUrl, `kafka:${groupId}:${topic}`, () => this.notify());
    this.restarts = new RestartWindow({
      maxAttempts: 0,
      baseBackoffMs: 0,
      maxBackoffMs: 0,
      maxRestarts: tuning.maxConsumerRestarts ?? 10,
      restartWindowMs: tuning.restartWindowMs ?? 300_000,
      pauseMs: 0,
    });
  }

  async start(): Promise<void> {
    const sessionTimeout = this.tuning.sessionTimeoutMs ?? 30_000;
    const consumer = this.kafka.consumer({
      groupId: this.groupId,
      sessionTimeout,
      heartbeatInterval: this.tuning.heartbeatIntervalMs ?? Math.max(500, Math.floor(sessionTimeout / 10)),
      rebalanceTimeout: 60_000,
      maxBytesPerPartition: 512 * 1024,
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
      retry: {
        initialRetryTime: 300,
        maxRetryTime: 5000,
        retries: 8,
        restartOnFailure: (error) => Promise.resolve(this.mayRestart(error)),
      },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.assigned = new Set(payload.memberAssignment[this.topic] ?? []);
      for (const [p, feed] of this.feeds) {
        feed.generationChanged();
        // A restarted consumer forgot its paused partitions; a kept one keeps them.
        if (feed.isPaused && this.assigned.has(p)) this.control(p).pause();
      }
      this.log(
        'info',
        `group ${this.groupId}: assigned ${[...this.assigned].sort((a, b) => a - b).join(',') || 'nothing'}`,
      );
      this.notify();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (this.consumer !== consumer) return;
      this.assigned = new Set();
      this.notify();
      if (payload.restart || this.closed) return;
      // kafkajs gives up by itself on errors it deems non-retriable, some of which a broker
      // restart produces (a member the new coordinator does not know, a closed connection):
      // a new consumer is the restart it did not make, within the same restart budget.
      if (!this.mayRestart(payload.error)) {
        this.failure = String(payload.error);
        return;
      }
      this.scheduleRecreate();
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
    this.flushTimer ??= setInterval(() => {
      for (const p of this.pending.keys()) void this.flush(p);
    }, 1000);
  }

  /** A fresh consumer after one that kafkajs left stopped; a failed start counts as another crash. */
  private scheduleRecreate(): void {
    if (this.recreateTimer || this.closed) return;
    const delayMs = Math.min(5000, 500 * 2 ** Math.max(0, this.restarts.count - 1));
    this.recreateTimer = setTimeout(() => {
      this.recreateTimer = undefined;
      void this.recreate();
    }, delayMs);
  }

  private async recreate(): Promise<void> {
    const old = this.consumer;
    this.consumer = undefined;
    await old?.disconnect().catch(() => undefined);
    if (this.closed) return;
    try {
      await this.start();
      this.log('info', `group ${this.groupId}: consumer recreated`);
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (this.mayRestart(e)) this.scheduleRecreate();
      else this.failure = String(e);
    }
  }

  /** Bounded restarts: a consumer crashing over and over stays down, and /health shows it. */
  private mayRestart(error: Error): boolean {
    if (this.closed) return false;
    const tooOften = this.restarts.record(Date.now());
    this.log(
      tooOften ? 'error' : 'warn',
      `consumer crashed (${error.message}); ${tooOften ? 'giving up' : 'restarting'}`,
    );
    return !tooOften;
  }

  private onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const partition = batch.partition;
    // A batch fetched before a seek, or for a partition taken away by a rebalance.
    if (payload.isStale() || !this.assigned.has(partition) || this.closed) return Promise.resolve();
    const messages: BusMessage[] = [];
    for (const m of batch.messages) {
      const value = parseRecordMessage(m.value);
      if (value === undefined) {
        this.log('error', `${this.topic}/${partition}@${m.offset}: not a record message, skipped`);
        continue;
      }
      messages.push({ partition, offset: Number(m.offset), key: m.key?.toString() ?? '', value });
    }
    this.feed(partition).push(messages);
    payload.resolveOffset(batch.lastOffset());
    return Promise.resolve();
  }

  private feed(partition: number): PartitionFeed {
    let feed = this.feeds.get(partition);
    if (!feed) {
      feed = new PartitionFeed(this.control(partition));
      this.feeds.set(partition, feed);
    }
    return feed;
  }

  private control(partition: number) {
    const tp = [{ topic: this.topic, partitions: [partition] }];
    const safely = (f: () => void) => {
      try {
        f();
      } catch {
        // Not running (restarting): the next generation fetches from the committed offset anyway.
      }
    };
    return {
      seek: (offset: number) =>
        safely(() => this.consumer?.seek({ topic: this.topic, partition, offset: String(offset) })),
      pause: () => safely(() => this.consumer?.pause(tp)),
      resume: () => safely(() => this.consumer?.resume(tp)),
    };
  }

  onOwnershipChange(listener: () => void): void {
    this.listener = listener;
  }

  private notify(): void {
    this.listener?.();
  }

  async claimPartitions(): Promise<number[]> {
    if (this.closed) return [];
    const wanted = [...this.assigned];
    const held = await this.leases.acquire(wanted);
    const owned = wanted.filter((p) => held.has(p)).sort((a, b) => a - b);
    if (owned.length < wanted.length && !this.retryTimer) {
      // The previous owner is still finishing its task in flight: ask again shortly.
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.notify();
      }, 250);
    }
    return owned;
  }

  /** Retried while the broker is away: an actor starting now simply waits for it. */
  async position(partition: number): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        const committed = await this.committedOffsets();
        return Math.max(committed.get(partition) ?? 0, this.pending.get(partition) ?? 0);
      } catch (error) {
        if (this.closed) throw error;
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  }

  /** The group's committed offsets, or the log start for partitions it never committed. */
  private async committedOffsets(): Promise<Map<number, number>> {
    const [group] = await this.admin.fetchOffsets({ groupId: this.groupId, topics: [this.topic] });
    const starts = await this.admin.fetchTopicOffsets(this.topic);
    const low = new Map(starts.map((s) => [s.partition, Number(s.low)]));
    return new Map(
      (group?.partitions ?? []).map((p) => [
        p.partition,
        Math.max(Number(p.offset), low.get(p.partition) ?? 0),
      ]),
    );
  }

  async fetch(partition: number, fromOffset: number, max: number, waitMs: number): Promise<BusMessage[]> {
    if (!this.assigned.has(partition) || this.closed) {
      await new Promise((r) => setTimeout(r, Math.min(waitMs, 250)));
      return [];
    }
    return this.feed(partition).take(fromOffset, max, waitMs);
  }

  async commit(partition: number, nextOffset: number): Promise<void> {
    this.pending.set(partition, Math.max(nextOffset, this.pending.get(partition) ?? 0));
    await this.flush(partition);
  }

  /**
   * Sends the partition's latest decided position; one commit at a time per partition, so an
   * older one never lands after a newer one. A failure (a rebalance, a broker restart) keeps it
   * pending for the next try: the decisions are in Postgres, only a redelivery is at stake.
   */
  private flush(partition: number): Promise<void> {
    const chain = (this.commitChains.get(partition) ?? Promise.resolve()).then(async () => {
      const offset = this.pending.get(partition);
      if (offset === undefined || !this.consumer) return;
      try {
        await this.consumer.commitOffsets([{ topic: this.topic, partition, offset: String(offset) }]);
        if (this.pending.get(partition) === offset) this.pending.delete(partition);
      } catch (error) {
        this.log('warn', `commit ${this.topic}/${partition}@${offset} deferred: ${(error as Error).message}`);
      }
    });
    this.commitChains.set(partition, chain);
    return chain;
  }

  async lag(): Promise<Map<number, number>> {
    const [committed, ends] = await withTimeout(
      Promise.all([this.committedOffsets(), this.admin.fetchTopicOffsets(this.topic)]),
      5000,
      'reading the group lag',
    );
    return new Map(
      ends.map((e) => [
        e.partition,
        Math.max(0, Number(e.high) - Math.max(committed.get(e.partition) ?? 0, Number(e.low))),
      ]),
    );
  }

  /** The actor stopped: its last position goes to the group first, then the lease is let go. */
  async release(partition: number): Promise<void> {
    await this.flush(partition);
    this.feeds.get(partition)?.reset();
    this.feeds.delete(partition);
    await this.leases.release(partition);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.recreateTimer);
    clearInterval(this.flushTimer);
    await Promise.all([...this.pending.keys()].map((p) => this.flush(p)));
    for (const feed of this.feeds.values()) feed.reset();
    // Leaving the group hands the partitions over at once, instead of after the session timeout.
    await this.consumer?.disconnect().catch(() => undefined);
    await this.leases.close();
  }
}

function parseRecordMessage(value: Buffer | null) {
  if (!value) return undefined;
  try {
    const parsed = rawRecordMessageSchema.safeParse(JSON.parse(value.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
