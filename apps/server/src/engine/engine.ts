import { DEFAULT_SUPERVISION, PostgresRecordBus, type Db, type RecordBus } from '@nexus/actors';
import type { Config } from '../config';
import { ActorSupervisor } from './actorSupervisor';
import { startRelay, type Relay } from './relay';

export interface Engine {
  bus: RecordBus;
  relay: Relay;
  supervisor: ActorSupervisor;
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
>;

/** The record engine of one process: the bus, the outbox relay and the partition actors. */
export async function startEngine(
  config: EngineConfig,
  db: Db,
  databaseUrl: string,
  options: { policy?: Partial<typeof DEFAULT_SUPERVISION>; bus?: RecordBus } = {},
): Promise<Engine> {
  const bus = options.bus ?? (await PostgresRecordBus.open(db, databaseUrl, config.NEXUS_PARTITIONS));
  const supervisor = new ActorSupervisor({
    db,
    bus,
    groupId: config.NEXUS_CONSUMER_GROUP,
    workers: config.NEXUS_WORKERS,
    concurrency: config.NEXUS_WORKER_CONCURRENCY,
    batchSize: config.NEXUS_BATCH_SIZE,
    policy: { ...DEFAULT_SUPERVISION, maxAttempts: config.NEXUS_MAX_ATTEMPTS, ...options.policy },
    worker: { databaseUrl, defaultCountry: config.NEXUS_DEFAULT_COUNTRY },
  });
  await supervisor.start();
  const relay = startRelay(db, bus);
  return {
    bus,
    relay,
    supervisor,
    stop: async () => {
      await relay.stop();
      await supervisor.stop();
      await bus.close();
    },
  };
}
