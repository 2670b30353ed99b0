import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { inject } from 'vitest';
import type { BusLog, KafkaTopics } from '@nexus/actors';
import { startEngine, type Engine, type EngineConfig } from '../apps/server/src/engine/engine';
import { TEST_ENGINE_CONFIG } from './engineHarness';
import type { TestDatabase } from './testDatabase';

/** The run's Kafka broker (test/globalSetup.ts starts it for suites under test/kafka/). */
export function kafkaBrokers(): string {
  const brokers = inject('kafkaBrokers');
  if (!brokers)
    throw new Error(
      'no Kafka broker for this run: put the suite under a test/kafka/ folder, or set KAFKA_BROKERS',
    );
  return brokers;
}

/** Topic and group names of one suite, never seen by another. */
export function freshKafkaNames(): { topics: KafkaTopics; group: string } {
  const id = randomBytes(5).toString('hex');
  return {
    topics: {
      records: `t-${id}.raw_records`,
      events: `t-${id}.nexus.events`,
      deadLetters: `t-${id}.nexus.dead-letters`,
    },
    group: `t-${id}.deciders`,
  };
}

/** kafkajs logs of a test: kept quiet, errors only on stderr. */
export const quietBusLog: BusLog = (level, message) => {
  if (level === 'error' && process.env.NEXUS_TEST_KAFKA_LOGS) process.stderr.write(`kafka: ${message}\n`);
};

export function startKafkaEngine(
  tdb: TestDatabase,
  names: { topics: KafkaTopics; group: string },
  config: Partial<EngineConfig> = {},
  brokers = kafkaBrokers(),
): Promise<Engine> {
  return startEngine(
    {
      ...TEST_ENGINE_CONFIG,
      KAFKA_BROKERS: brokers,
      NEXUS_KAFKA_SESSION_TIMEOUT_MS: 6000,
      NEXUS_CONSUMER_GROUP: names.group,
      ...config,
    },
    tdb.db,
    tdb.url,
    { policy: { baseBackoffMs: 10, maxBackoffMs: 100 }, kafka: { topics: names.topics, log: quietBusLog } },
  );
}

export interface TopicMessage {
  partition: number;
  offset: number;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Every message of a topic up to its current end, read by a throw-away group. */
export async function readTopic(topic: string, brokers = kafkaBrokers()): Promise<TopicMessage[]> {
  const kafka = new Kafka({ clientId: 'nexus-test-reader', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const remaining = new Map(
    ends.filter((e) => Number(e.high) > Number(e.low)).map((e) => [e.partition, Number(e.high)]),
  );
  const out: TopicMessage[] = [];
  if (remaining.size === 0) return out;
  const consumer = kafka.consumer({
    groupId: `reader-${randomBytes(5).toString('hex')}`,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 30_000);
    void consumer.run({
      eachMessage: ({ partition, message }) => {
        const headers = Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]),
        );
        out.push({
          partition,
          offset: Number(message.offset),
          key: message.key?.toString() ?? '',
          value: message.value?.toString() ?? '',
          headers,
        });
        if (Number(message.offset) + 1 >= (remaining.get(partition) ?? 0)) remaining.delete(partition);
        if (remaining.size === 0) {
          clearTimeout(timer);
          resolve();
        }
        return Promise.resolve();
      },
    });
  });
  await consumer.disconnect();
  return out.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** Deletes a suite's topics (the broker is shared by the whole run). */
export async function deleteTopics(topics: KafkaTopics, brokers = kafkaBrokers()): Promise<void> {
  const kafka = new Kafka({ clientId: 'nexus-test-admin', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: [topics.records, topics.events, topics.deadLetters] })
    .catch(() => undefined);
  await admin.disconnect();
}

export async function rewindGroup(group: string, topic: string, brokers = kafkaBrokers()): Promise<void> {
  const kafka = new Kafka({ clientId: 'nexus-test-admin', brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.resetOffsets({ groupId: group, topic, earliest: true });
  await admin.disconnect();
}
