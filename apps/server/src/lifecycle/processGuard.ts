import type { Logger } from 'pino';

/**
 * The process-level guard of `nexus start` and `nexus worker`. An exception nothing caught, or a
 * rejection nobody handled, is a bug: it is logged with its stack and the process goes on
 * serving. Every request already has its own last resort (http/lastResort.ts) and every record
 * its transaction, so one request's bug must not end the answers to all the others, nor the
 * records in flight. Returns the function that removes the guard.
 */
export function guardProcess(logger: Logger): () => void {
  const onException = (error: unknown, origin: string) => {
    logger.fatal({ err: error, origin }, 'uncaught exception (a bug): logged, the process goes on');
  };
  const onRejection = (reason: unknown) => {
    logger.error({ err: reason }, 'unhandled promise rejection (a bug): logged, the process goes on');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
