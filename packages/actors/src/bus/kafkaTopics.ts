import type { Admin } from 'kafkajs';
import { DEAD_LETTERS_TOPIC, NEXUS_EVENTS_TOPIC, RAW_RECORDS_TOPIC } from '@nexus/schema';

export interface KafkaTopics {
  /** Accepted records, keyed by partition key: the deciders' input. */
  records: string;
  /** Decisions and audited changes, for idempotent consumers outside Nexus. */
  events: string;
  /** Records given up after their retry budget, with the error, for replay tooling. */
  deadLetters: string;
}

export const DEFAULT_KAFKA_TOPICS: KafkaTopics = {
  records: RAW_RECORDS_TOPIC,
  events: NEXUS_EVENTS_TOPIC,
  deadLetters: DEAD_LETTERS_TOPIC,
};

export class TopicPartitionsError extends Error {
  readonly code = 'BUS.TOPIC_PARTITIONS';
}

/**
 * Creates the topics Nexus uses (brokers run with auto-creation off), and grows a topic that has
 * fewer partitions than asked. A topic never shrinks: keys would move to other partitions.
 * Replication comes from the broker's defaults (`default.replication.factor`, `min.insync.replicas`).
 */
export async function ensureTopics(
  admin: Admin,
  wanted: Array<{ topic: string; partitions: number }>,
): Promise<void> {
  // A topic just created may not be known to every broker's metadata yet: kafkajs's wait for
  // leaders then fails with UNKNOWN_TOPIC_OR_PARTITION, a retriable error it does not retry itself.
  for (let attempt = 1; ; attempt++) {
    try {
      return await ensureTopicsOnce(admin, wanted);
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 8) throw error;
      await new Promise((r) => setTimeout(r, Math.min(3000, 200 * 2 ** attempt)));
    }
  }
}

async function ensureTopicsOnce(
  admin: Admin,
  wanted: Array<{ topic: string; partitions: number }>,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = wanted.filter((w) => !existing.has(w.topic));
  if (missing.length > 0) {
    try {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((w) => ({ topic: w.topic, numPartitions: w.partitions })),
      });
    } catch (error) {
      // Another process created them in the meantime: checked below.
      if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
    }
  }
  const { topics } = await admin.fetchTopicMetadata({ topics: wanted.map((w) => w.topic) });
  for (const w of wanted) {
    const have = topics.find((t) => t.name === w.topic)?.partitions.length ?? 0;
    if (have > w.partitions) {
      throw new TopicPartitionsError(
        `topic ${w.topic} already has ${have} partitions; NEXUS_PARTITIONS=${w.partitions} cannot shrink it`,
      );
    }
    if (have < w.partitions) {
      await admin.createPartitions({ topicPartitions: [{ topic: w.topic, count: w.partitions }] });
    }
  }
}
