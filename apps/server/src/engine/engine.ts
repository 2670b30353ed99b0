import {
  ActorSupervisor,
  DEFAULT_SUPERVISION,
  DEFAULT_TECH5_PREFETCH,
  KafkaRecordBus,
  PostgresRecordBus,
  publishDeadLetters,
  startEncryption,
  type BusLog,
  type Db,
  type EventPublisher,
  type KafkaTopics,
  type RecordBus,
  type FaceSourcePolicy,
  type Tech5ClientOptions,
} from '@nexus/actors';
import type { Config } from '../config';
import { encryptionKeySecrets } from '../privacy/encryptionKeys';
import { faceSourcePolicy, type FacePolicyConfig } from '../faces/faceSourcePolicy';
import { enrichmentConfig, type EnrichmentEnv } from '../enrichment/enrichmentConfig';
import { probeTech5 } from '../biometrics/tech5Health';
import { startEventRelay, type EventRelay } from './eventRelay';
import { startRelay, type Relay } from './relay';
import { StateChanges } from './stateChanges';
import { startFaceSweep, type FaceSweep } from './faceSweep';
import { startEngineSearch, type EngineSearch } from './search';

export interface Engine {
  bus: RecordBus;
  relay: Relay;
  /** Services announce what they changed here; the relay (and LiveHub) subscribe. */
  changes: StateChanges;
  /** Carries the event outbox to Kafka (when configured) and to the log subscribers read. */
  events: EventRelay;
  supervisor: ActorSupervisor;
  /** Elasticsearch candidate search, when ELASTICSEARCH_URL is set. */
  search?: EngineSearch;
  /** Where the engine reads face images from; the reviewers' screen reads them the same way. */
  faces: FaceSourcePolicy;
  /** The sweep of faces inserted into ABIS ahead and left there (ADR 0055), with Tech5. */
  faceSweep?: FaceSweep;
  /** Kafka, Elasticsearch and Tech5, when configured, for /health and the live overview. */
  health(): Promise<Record<string, { ok: boolean; detail?: string }>>;
  stop(): Promise<void>;
}

export type EngineConfig = Pick<
  Config,
  | 'NEXUS_PARTITIONS'
  | 'NEXUS_WORKERS'
  | 'NEXUS_WORKER_CONCURRENCY'
  | 'NEXUS_BATCH_SIZE'
  | 'NEXUS_MAX_ATTEMPTS'
  | 'NEXUS_CONSUMER_GROUP'
  | 'NEXUS_DEFAULT_COUNTRY'
> &
  Partial<
    Pick<
      Config,
      | 'KAFKA_BROKERS'
      | 'NEXUS_KAFKA_SESSION_TIMEOUT_MS'
      | 'ELASTICSEARCH_URL'
      | 'NEXUS_SEARCH_INDEX'
      | 'TECH5_LDS_URL'
      | 'TECH5_ABIS_URL'
      | 'NEXUS_TECH5_PREFETCH'
      | 'NEXUS_ENCRYPTION_KEY'
      | 'NEXUS_ENCRYPTION_KEY_FILE'
      | 'NEXUS_ENCRYPTION_PREVIOUS_KEY'
    >
  > &
  Partial<EnrichmentEnv> &
  FacePolicyConfig;

export interface EngineOptions {
  policy?: Partial<typeof DEFAULT_SUPERVISION>;
  bus?: RecordBus;
  /** Kafka topic names (tests use fresh ones) and where kafkajs logs go. */
  kafka?: { topics?: Partial<KafkaTopics>; log?: BusLog };
  /** Where events and dead letters go besides the Postgres log; default: Kafka with Kafka, nowhere without. */
  events?: EventPublisher;
  /** Timeouts, retries and circuit breaker of the workers' Tech5 clients. */
  tech5Client?: Partial<Tech5ClientOptions>;
  /** Folders face files may be read from besides NEXUS_FACE_DIRS (`nexus dedupe`: its input files' folders). */
  faceDirs?: string[];
  /** False: no micro-batch transactions, each record alone (bench:throughput's comparison run). */
  batchDecisions?: boolean;
  /** How often faces left in ABIS are swept (default FACE_SWEEP_INTERVAL_MS). */
  faceSweepMs?: number;
}

/** The record engine of one process: the bus, the outbox relay, the partition actors, the search index. */
export async function startEngine(
  config: EngineConfig,
  db: Db,
  databaseUrl: string,
  options: EngineOptions = {},
): Promise<Engine> {
  // First: a missing or wrong key stops the start before anything is read or written (0049).
  const encryption = encryptionKeySecrets(config);
  const cipher = await startEncryption(db, encryption);
  const bus = options.bus ?? (await openBus(config, db, databaseUrl, options));
  const events = options.events ?? bus.events;
  const index = config.NEXUS_SEARCH_INDEX ?? 'nexus-golden-records';
  const url = config.ELASTICSEARCH_URL;
  const faces = faceSourcePolicy(config, options.faceDirs);
  const supervisor = new ActorSupervisor({
    db,
    bus,
    groupId: config.NEXUS_CONSUMER_GROUP,
    workers: config.NEXUS_WORKERS,
    concurrency: config.NEXUS_WORKER_CONCURRENCY,
    batchSize: config.NEXUS_BATCH_SIZE,
    policy: { ...DEFAULT_SUPERVISION, maxAttempts: config.NEXUS_MAX_ATTEMPTS, ...options.policy },
    worker: {
      databaseUrl,
      defaultCountry: config.NEXUS_DEFAULT_COUNTRY,
      search: url ? { elasticsearchUrl: url, index } : undefined,
      tech5LdsUrl: config.TECH5_LDS_URL,
      tech5AbisUrl: config.TECH5_ABIS_URL,
      tech5Client: options.tech5Client,
      tech5Prefetch: config.NEXUS_TECH5_PREFETCH ?? DEFAULT_TECH5_PREFETCH,
      faces,
      enrichment: enrichmentConfig(config),
      encryption,
      batchDecisions: options.batchDecisions,
    },
    // The decisions' events are in the outbox already (written with them); the relay is woken
    // to carry them on, and dead letters go to their Kafka topic before the position commits.
    beforeCommit: async (_partition, recordIds) => {
      eventRelay.kick();
      if (events) await publishDeadLetters(db, events, recordIds);
    },
  });
  const eventRelay = startEventRelay(db, events);
  try {
    await supervisor.start();
  } catch (error) {
    await eventRelay.stop();
    if (!options.bus) await bus.close();
    throw error;
  }
  const search = url ? startEngineSearch(db, url, index, supervisor) : undefined;
  const faceSweep = config.TECH5_ABIS_URL
    ? startFaceSweep(db, config.TECH5_ABIS_URL, supervisor, {
        client: options.tech5Client,
        intervalMs: options.faceSweepMs,
      })
    : undefined;
  const relay = startRelay(db, bus);
  const changes = new StateChanges();
  const stopWaking = changes.on('records_stored', () => relay.kick());
  return {
    bus,
    relay,
    changes,
    events: eventRelay,
    supervisor,
    search,
    faces,
    faceSweep,
    health: async () => {
      const parts: Record<string, { ok: boolean; detail?: string }> = {};
      Object.assign(parts, await bus.outsideHealth?.());
      if (search) parts.elasticsearch = await search.health();
      if (config.TECH5_LDS_URL && config.TECH5_ABIS_URL)
        parts.tech5 = await probeTech5({ lds: config.TECH5_LDS_URL, abis: config.TECH5_ABIS_URL });
      return parts;
    },
    stop: async () => {
      stopWaking();
      await faceSweep?.stop();
      await relay.stop();
      await supervisor.stop();
      await eventRelay.stop();
      await search?.stop();
      await bus.close();
      cipher?.stop();
    },
  };
}

function openBus(
  config: EngineConfig,
  db: Db,
  databaseUrl: string,
  options: EngineOptions,
): Promise<RecordBus> {
  if (!config.KAFKA_BROKERS) return PostgresRecordBus.open(db, databaseUrl, config.NEXUS_PARTITIONS);
  return KafkaRecordBus.open({
    brokers: config.KAFKA_BROKERS.split(','),
    partitions: config.NEXUS_PARTITIONS,
    databaseUrl,
    clientId: `nexus-${config.NEXUS_CONSUMER_GROUP}`,
    topics: options.kafka?.topics,
    sessionTimeoutMs: config.NEXUS_KAFKA_SESSION_TIMEOUT_MS,
    log: options.kafka?.log,
  });
}
