import type { Logger } from 'pino';
import type { ActorSupervisor } from '@nexus/actors';
import type { Relay } from './relay';

/**
 * The engine's failures as log lines, so an operator reading the logs sees what /health and the
 * dashboard show: a worker thread that died, a task or an actor that failed, a partition paused,
 * a record dead-lettered, the outbox relay failing to publish and recovering. Ids and error
 * messages only, never a record's contents. Returns the
 * function that stops logging.
 */
export function logEngineFailures(
  engine: { supervisor: ActorSupervisor; relay: Relay },
  logger: Logger,
): () => void {
  const { supervisor } = engine;
  const log = logger.child({ part: 'engine' });
  const onPoolError = (error: unknown) => log.error({ err: error }, 'worker thread died outside a task');
  const onTaskFailed = (partition: number, error: unknown) =>
    log.warn({ partition, err: error }, 'task failed as a whole: its records are retried one by one');
  const onActorStopped = (partition: number, error: unknown) =>
    log.error({ partition, err: error }, 'partition actor stopped: it is started again');
  const onPaused = (partition: number, pauseMs: number, lastError: string) =>
    log.warn({ partition, pauseMs, lastError }, 'partition paused after repeated failures');
  const onDeadLetter = (partition: number, recordId: string, error: string) =>
    log.warn({ partition, recordId, error }, 'record dead-lettered');
  supervisor.on('poolError', onPoolError);
  supervisor.on('taskFailed', onTaskFailed);
  supervisor.on('actorStopped', onActorStopped);
  supervisor.on('partitionPaused', onPaused);
  supervisor.on('deadLetter', onDeadLetter);
  const stopRelayLog = engine.relay.onFailureChange((error) => {
    if (error) log.error({ error }, 'outbox relay cannot publish accepted records: retrying');
    else log.info('outbox relay publishing again');
  });
  return () => {
    stopRelayLog();
    supervisor.off('poolError', onPoolError);
    supervisor.off('taskFailed', onTaskFailed);
    supervisor.off('actorStopped', onActorStopped);
    supervisor.off('partitionPaused', onPaused);
    supervisor.off('deadLetter', onDeadLetter);
  };
}
