import type { BusMessage } from './recordBus';

/** What the feed asks of the Kafka consumer: move its fetch position, stop and restart fetching. */
export interface FeedControl {
  seek(offset: number): void;
  pause(): void;
  resume(): void;
}

/**
 * The bridge between kafkajs, which pushes batches, and a partition actor, which pulls from an
 * offset. Messages wait here in offset order; the consumer is paused while the actor is behind
 * by more than `highWater` messages, so memory stays bounded and kafkajs keeps heartbeating
 * (its loop never blocks on a decision). An actor that asks for an offset the buffer does not
 * hold (a restart from the committed position) moves the consumer there.
 */
export class PartitionFeed {
  private buffer: BusMessage[] = [];
  /** Highest offset ever buffered: a re-fetch after a rebalance delivers older ones again. */
  private highest = -1;
  /** The offset the consumer will deliver next, when known. */
  private cursor: number | undefined;
  /** Set after a seek to it: a first message past it is then a real gap, not a lost position. */
  private soughtTo: number | undefined;
  private paused = false;
  private waiters = new Set<() => void>();

  constructor(
    private readonly control: FeedControl,
    private readonly highWater = 1000,
  ) {}

  get size(): number {
    return this.buffer.length;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** A batch from kafkajs, in offset order. */
  push(messages: readonly BusMessage[]): void {
    for (const m of messages) {
      if (m.offset <= this.highest) continue;
      this.buffer.push(m);
      this.highest = m.offset;
    }
    const last = messages.at(-1);
    if (last) this.cursor = last.offset + 1;
    if (this.buffer.length >= this.highWater && !this.paused) {
      this.paused = true;
      this.control.pause();
    }
    this.wake();
  }

  /** A new group generation: kafkajs fetches from the committed offset again. */
  generationChanged(): void {
    this.cursor = undefined;
  }

  /** Up to `max` messages from `fromOffset`, waiting at most `waitMs` for the first. */
  async take(fromOffset: number, max: number, waitMs: number, signal?: AbortSignal): Promise<BusMessage[]> {
    this.position(fromOffset);
    if (this.buffer.length === 0 && waitMs > 0 && signal?.aborted !== true) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        this.waiters.add(done);
        signal?.addEventListener('abort', done);
      });
      this.position(fromOffset);
    }
    const out = this.buffer.splice(0, max);
    if (this.paused && this.buffer.length < this.highWater / 2) {
      this.paused = false;
      this.control.resume();
    }
    return out;
  }

  /** Drops what is before `fromOffset`; moves the consumer when the buffer cannot serve it. */
  private position(fromOffset: number): void {
    while ((this.buffer[0]?.offset ?? fromOffset) < fromOffset) this.buffer.shift();
    const first = this.buffer[0];
    const servable = first
      ? first.offset === fromOffset || this.soughtTo === fromOffset
      : this.cursor === fromOffset;
    // Unknown cursor (a new generation) and an empty buffer: kafkajs starts at the committed
    // offset, which is where an actor starts too; anything older is dropped on arrival.
    if (servable || (first === undefined && this.cursor === undefined)) return;
    if (first === undefined && this.cursor !== undefined && this.cursor < fromOffset) return;
    this.buffer = [];
    this.highest = fromOffset - 1;
    this.cursor = fromOffset;
    this.soughtTo = fromOffset;
    this.control.seek(fromOffset);
    if (this.paused) {
      this.paused = false;
      this.control.resume();
    }
  }

  /** Forget everything: the partition was released. */
  reset(): void {
    this.buffer = [];
    this.highest = -1;
    this.cursor = undefined;
    this.soughtTo = undefined;
    if (this.paused) {
      this.paused = false;
      this.control.resume();
    }
    this.wake();
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}
