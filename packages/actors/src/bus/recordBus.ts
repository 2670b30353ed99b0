import type { RawRecordMessage } from '@nexus/schema';
import type { EventPublisher } from '../events/eventPublisher';

export interface BusMessage {
  partition: number;
  offset: number;
  key: string;
  value: RawRecordMessage;
}

/**
 * The record bus port. Two adapters: a partitioned log in Postgres (default) and Kafka.
 * Delivery is at least once: a consumer commits a partition's position only after the records
 * before it are decided and persisted.
 */
export interface RecordBus {
  readonly partitions: number;
  /** Appends messages (acks=all semantics: resolved once durable). */
  publish(messages: Array<{ key: string; value: RawRecordMessage }>): Promise<void>;
  openConsumer(groupId: string): Promise<BusConsumer>;
  /** Where events and dead letters go besides the Postgres log: the broker's topics (Kafka). */
  readonly events?: EventPublisher;
  /** The health of the outside part the bus stands on, by its name, for /health (Kafka). */
  outsideHealth?(): Promise<Record<string, { ok: boolean; detail?: string }>>;
  close(): Promise<void>;
}

export interface BusConsumer {
  /** Partitions this consumer owns now; ownership can change when other processes come and go. */
  claimPartitions(): Promise<number[]>;
  /** The next offset to read: one past the last committed record. */
  position(partition: number): Promise<number>;
  /** Up to `max` messages from `fromOffset` on, waiting at most `waitMs` for the first. */
  fetch(partition: number, fromOffset: number, max: number, waitMs: number): Promise<BusMessage[]>;
  commit(partition: number, nextOffset: number): Promise<void>;
  /** Messages published but not yet committed by this group, per partition. */
  lag(): Promise<Map<number, number>>;
  /**
   * The actor of this partition has stopped after committing its last position: another process
   * may take the partition now (Kafka: the next owner waits for this, so two never overlap).
   */
  release(partition: number): Promise<void>;
  /** Ownership may have changed (a rebalance, a lost connection): the owner claims again at once. */
  onOwnershipChange(listener: () => void): void;
  close(): Promise<void>;
}
