import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { createDb } from '@nexus/actors';
import { resolveTech5 } from './biometrics/tech5';
import type { Config } from './config';
import { logEngineFailures } from './engine/engineFailureLog';
import { startEngine, type Engine } from './engine/engine';
import { checkHealth } from './http/healthRoute';
import { ShutdownRegistry } from './lifecycle/shutdown';
import { createMetrics } from './metrics/metrics';
import { createLogger } from './server';

export class WorkerDatabaseError extends Error {
  readonly code = 'WORKER.DATABASE_URL';
}

export interface RunningWorker {
  engine: Engine;
  /** Where GET /health and GET /metrics are served. */
  url: string;
  shutdown: ShutdownRegistry;
}

/**
 * `nexus worker`: the record engine alone (consumer group member, partition actors, worker
 * threads, search indexer), without the API, and an HTTP port for probes and Prometheus:
 * GET /health and GET /metrics (the same metrics as `nexus start`). Needs DATABASE_URL, already
 * migrated (the migration Job / `nexus migrate`).
 */
export async function startWorkerNode(
  config: Config,
  log: (line: string) => void,
  shutdown: ShutdownRegistry = new ShutdownRegistry(),
  options: { logger?: Logger } = {},
): Promise<RunningWorker> {
  if (!config.DATABASE_URL)
    throw new WorkerDatabaseError('nexus worker needs DATABASE_URL (an embedded database is not shared)');
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  try {
    const db = createDb(config.DATABASE_URL, { maxConnections: 4, applicationName: 'nexus-worker' });
    shutdown.register('database pool', () => db.destroy());
    const tech5 = await resolveTech5(config, shutdown, log);
    const engine = await startEngine({ ...config, ...tech5 }, db, config.DATABASE_URL);
    shutdown.register('engine', () => engine.stop());
    shutdown.register('engine failure log', logEngineFailures(engine, logger));
    const metrics = createMetrics(db, engine, logger);
    shutdown.register('metrics', () => metrics.stop());
    const server = http.createServer((req, res) => {
      const answer = async () => {
        if (req.method === 'GET' && req.url === '/health') {
          const health = await checkHealth(db, engine);
          res.writeHead(health.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
          return void res.end(JSON.stringify(health));
        }
        if (req.method === 'GET' && req.url === '/metrics') {
          const text = await metrics.registry.metrics();
          res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
          return void res.end(text);
        }
        res.writeHead(404).end();
      };
      answer().catch((error: unknown) => {
        logger.error({ err: error, path: req.url }, 'request failed');
        if (res.headersSent) res.destroy();
        else res.writeHead(503, { 'content-type': 'text/plain' }).end('unavailable');
      });
    });
    await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
    shutdown.register(
      'health and metrics server',
      () => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    const url = `http://${config.HOST}:${(server.address() as AddressInfo).port}`;
    log(
      `engine running (${config.KAFKA_BROKERS ? 'Kafka' : 'Postgres'} bus, group ${config.NEXUS_CONSUMER_GROUP}); health and metrics on ${url}`,
    );
    return { engine, url, shutdown };
  } catch (error) {
    await shutdown.shutdown();
    throw error;
  }
}
