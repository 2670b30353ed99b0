import { Partitioners, type Admin, type Kafka, type Producer } from 'kafkajs';
import {
  partitionFor,
  type DeadLetterMessage,
  type EventEnvelope,
  type RawRecordMessage,
} from '@nexus/schema';
import { createKafka, withTimeout, type BusLog } from './kafkaClient';
import { KafkaBusConsumer, type KafkaConsumerTuning } from './kafkaConsumer';
import { DEFAULT_KAFKA_TOPICS, ensureTopics, type KafkaTopics } from './kafkaTopics';
import type { BusConsumer, RecordBus } from './recordBus';
import type { EventPublisher } from '../events/eventPublisher';

export interface KafkaBusOptions extends KafkaConsumerTuning {
  brokers: readonly string[];
  partitions: number;
  /** Postgres, where consumers hold their partition leases (see PartitionLeases). */
  databaseUrl: string;
  clientId?: string;
  topics?: Partial<KafkaTopics>;
  log?: BusLog;
}

/**
 * The record bus on Kafka. Records go to `raw_records` in the partition Nexus computes itself
 * (murmur2 of the key, as the Postgres bus and Kafka's Java client do), through an idempotent
 * producer with acks=all. Decision events and dead letters go out through the same producer.
 */
export class KafkaRecordBus implements RecordBus, EventPublisher {
  private producer: Producer | undefined;
  private connecting: Promise<Producer> | undefined;
  private readonly consumers = new Set<KafkaBusConsumer>();

  private constructor(
    private readonly kafka: Kafka,
    readonly admin: Admin,
    readonly partitions: number,
    readonly topics: KafkaTopics,
    private readonly options: KafkaBusOptions,
  ) {}

  static async open(options: KafkaBusOptions): Promise<KafkaRecordBus> {
    const kafka = createKafka(options);
    const topics = { ...DEFAULT_KAFKA_TOPICS, ...options.topics };
    const admin = kafka.admin();
    await admin.connect();
    try {
      await ensureTopics(admin, [
        { topic: topics.records, partitions: options.partitions },
        { topic: topics.events, partitions: options.partitions },
        { topic: topics.deadLetters, partitions: 1 },
      ]);
    } catch (error) {
      await admin.disconnect();
      throw error;
    }
    const bus = new KafkaRecordBus(kafka, admin, options.partitions, topics, options);
    await bus.connectedProducer();
    return bus;
  }

  async publish(messages: Array<{ key: string; value: RawRecordMessage }>): Promise<void> {
    if (messages.length === 0) return;
    await this.send(
      this.topics.records,
      messages.map((m) => ({
        key: m.key,
        value: JSON.stringify(m.value),
        partition: partitionFor(m.key, this.partitions),
      })),
    );
  }

  /** `nexus.events`: keyed by the entity, so each entity's events stay in order. */
  async publishEvents(events: readonly EventEnvelope[]): Promise<void> {
    if (events.length === 0) return;
    await this.send(
      this.topics.events,
      events.map((e) => ({
        key: e.key,
        value: JSON.stringify(e),
        headers: { 'event-id': e.id, 'event-type': e.type },
      })),
    );
  }

  async publishDeadLetters(letters: readonly DeadLetterMessage[]): Promise<void> {
    if (letters.length === 0) return;
    await this.send(
      this.topics.deadLetters,
      letters.map((l) => ({ key: l.recordId, value: JSON.stringify(l), headers: { 'event-id': l.id } })),
    );
  }

  async openConsumer(groupId: string): Promise<BusConsumer> {
    const consumer = new KafkaBusConsumer(
      this.kafka,
      this.admin,
      this.topics.records,
      groupId,
      this.options.databaseUrl,
      this.options,
    );
    this.consumers.add(consumer);
    try {
      await consumer.start();
    } catch (error) {
      this.consumers.delete(consumer);
      await consumer.close();
      throw error;
    }
    return consumer;
  }

  /** Decision events and dead letters go out through the same producer as the records. */
  get events(): EventPublisher {
    return this;
  }

  async outsideHealth(): Promise<Record<string, { ok: boolean; detail?: string }>> {
    return { kafka: await this.health() };
  }

  /** Is the cluster answering? For /health. */
  async health(): Promise<{ ok: boolean; detail: string }> {
    try {
      const { brokers } = await withTimeout(this.admin.describeCluster(), 3000, 'describing the cluster');
      const failed = [...this.consumers].map((c) => c.failure).find((f) => f !== undefined);
      if (failed) return { ok: false, detail: `consumer stopped after repeated crashes: ${failed}` };
      return { ok: true, detail: `${brokers.length} broker(s)` };
    } catch (error) {
      return { ok: false, detail: `unreachable: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.close()));
    this.consumers.clear();
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  private async send(
    topic: string,
    messages: Array<{ key: string; value: string; partition?: number; headers?: Record<string, string> }>,
  ): Promise<void> {
    const producer = await this.connectedProducer();
    try {
      await producer.send({ topic, acks: -1, messages });
    } catch (error) {
      // A producer that gave up (broker gone for long, fenced producer id) is replaced: the next
      // send gets a new producer id. The caller retries; the deciders absorb a duplicate.
      if (this.producer === producer) this.producer = undefined;
      await producer.disconnect().catch(() => undefined);
      throw error;
    }
  }

  private connectedProducer(): Promise<Producer> {
    if (this.producer) return Promise.resolve(this.producer);
    this.connecting ??= (async () => {
      const producer = this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: { initialRetryTime: 300, maxRetryTime: 5000, retries: 8 },
      });
      await producer.connect();
      this.producer = producer;
      return producer;
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }
}
