import http from 'node:http';
import type { Command } from 'commander';
import { createDb } from '@nexus/actors';
import { resolveTech5 } from '../biometrics/tech5';
import { loadConfig } from '../config';
import { startEngine } from '../engine/engine';
import { checkHealth } from '../http/healthRoute';
import { ShutdownRegistry } from '../lifecycle/shutdown';

export class WorkerDatabaseError extends Error {
  readonly code = 'WORKER.DATABASE_URL';
}

/**
 * `nexus worker`: the record engine alone (consumer group member, partition actors, worker
 * threads, search indexer), without the API: the unit that scales out with Kafka partitions
 * (docs/scaling.md). Serves only GET /health on PORT, for probes. Needs DATABASE_URL, already
 * migrated (the migration Job / `nexus migrate`).
 */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run the record engine only (no API), e.g. as a Kubernetes worker Deployment; GET /health on PORT',
    )
    .action(async () => {
      const config = loadConfig();
      if (!config.DATABASE_URL)
        throw new WorkerDatabaseError('nexus worker needs DATABASE_URL (an embedded database is not shared)');
      const log = (line: string) => process.stderr.write(`nexus worker: ${line}\n`);
      const shutdown = new ShutdownRegistry();
      const db = createDb(config.DATABASE_URL, { maxConnections: 4, applicationName: 'nexus-worker' });
      shutdown.register('database pool', () => db.destroy());
      const stopped = new Promise<void>((resolve) => {
        const stop = () => void shutdown.shutdown().then(() => resolve());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      const tech5 = await resolveTech5(config, shutdown, log);
      const engine = await startEngine({ ...config, ...tech5 }, db, config.DATABASE_URL);
      shutdown.register('engine', () => engine.stop());
      const server = http.createServer((req, res) => {
        if (req.method !== 'GET' || req.url !== '/health') {
          res.writeHead(404).end();
          return;
        }
        void checkHealth(db, engine).then(
          (health) =>
            res
              .writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' })
              .end(JSON.stringify(health)),
          (error: unknown) => res.writeHead(503).end(String(error)),
        );
      });
      await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
      shutdown.register('health server', () => new Promise<void>((resolve) => server.close(() => resolve())));
      log(
        `engine running (${config.KAFKA_BROKERS ? 'Kafka' : 'Postgres'} bus, group ${config.NEXUS_CONSUMER_GROUP}); health on ${config.HOST}:${config.PORT}`,
      );
      await stopped;
    });
}
