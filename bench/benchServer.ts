import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../apps/server/src/config';
import { startNexus, type RunningNexus } from '../apps/server/src/server';
import type { BenchDatabase } from './benchDatabase';

/**
 * The Nexus server the API benches measure, started as `nexus start` starts it, with its deciders
 * stopped: they would take the streamed records off the bus while the figures are taken, on the
 * same 2 cores, so the figures are the API's alone (the bus, relay and live hub keep running).
 * The database is dropped when the server does not start.
 */
export async function startBenchNexus(database: BenchDatabase): Promise<RunningNexus> {
  const config = loadConfig({
    DATABASE_URL: database.url,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    NEXUS_ADMIN_PASSWORD: randomBytes(12).toString('hex'),
    // One client sends thousands of requests a second here; the default 50/s would answer 429.
    NEXUS_RATE_LIMIT_RPS: '1000000',
    NEXUS_RATE_LIMIT_BURST: '1000000',
  });
  // Request logs as in production (info), into /dev/null: their cost counts, not the terminal's.
  const logger = pino(
    { level: 'info', base: { service: 'nexus' }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.destination('/dev/null'),
  );
  const nexus = await startNexus(config, () => undefined, undefined, { logger }).catch(
    async (error: unknown) => {
      await database.drop();
      throw error;
    },
  );
  await nexus.engine.supervisor.stop();
  return nexus;
}
