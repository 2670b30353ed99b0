import type { Command } from 'commander';
import { loadConfig } from '../config';
import { guardProcess } from '../lifecycle/processGuard';
import { ShutdownRegistry } from '../lifecycle/shutdown';
import { createLogger, startNexus } from '../server';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the server, the engine and the dashboard (as npm start)')
    .action(async () => {
      const config = loadConfig();
      const log = (line: string) => process.stderr.write(`nexus: ${line}\n`);
      const logger = createLogger(config.LOG_LEVEL);
      guardProcess(logger);
      const shutdown = new ShutdownRegistry();
      // Signals are handled from the first moment: a Ctrl-C during start-up still stops the
      // embedded Postgres and the workers started so far, instead of orphaning them.
      const stopped = new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: draining the engine and closing...`);
          void shutdown.shutdown().then((errors) => {
            for (const e of errors) log(`shutdown: ${e}`);
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
      const nexus = await Promise.race([
        startNexus(config, log, shutdown, { logger }),
        stopped.then(() => undefined),
      ]);
      if (!nexus) return;
      process.stdout.write(
        `Nexus is running at ${nexus.http.url} (dashboard: ${nexus.http.url}/, health: ${nexus.http.url}/health)\n`,
      );
      await stopped;
    });
}
