import type { Command } from 'commander';
import { loadConfig } from '../config';
import { guardProcess } from '../lifecycle/processGuard';
import { ShutdownRegistry } from '../lifecycle/shutdown';
import { createLogger } from '../server';
import { startWorkerNode } from '../workerNode';

export { WorkerDatabaseError } from '../workerNode';

/**
 * `nexus worker`: the record engine alone, without the API: the unit that scales out with Kafka
 * partitions (docs/scaling.md). GET /health and GET /metrics on PORT.
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run the record engine only (no API), e.g. as a Kubernetes worker Deployment; GET /health and /metrics on PORT',
    )
    .action(async () => {
      const config = loadConfig();
      const log = (line: string) => process.stderr.write(`nexus worker: ${line}\n`);
      const logger = createLogger(config.LOG_LEVEL);
      guardProcess(logger);
      const shutdown = new ShutdownRegistry();
      const stopped = new Promise<void>((resolve) => {
        const stop = () => void shutdown.shutdown().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await startWorkerNode(config, log, shutdown, { logger });
      await stopped;
    });
}
