import type { Command } from 'commander';
import { loadConfig } from '../config';
import { startNexus } from '../server';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the server, the engine and the dashboard (as npm start)')
    .action(async () => {
      const config = loadConfig();
      const log = (line: string) => process.stderr.write(`nexus: ${line}\n`);
      const nexus = await startNexus(config, log);
      process.stdout.write(`Nexus is running at ${nexus.http.url} (health: ${nexus.http.url}/health)\n`);
      await new Promise<void>((resolve) => {
        const stop = (signal: string) => {
          log(`${signal}: draining the engine and closing...`);
          void nexus.shutdown.shutdown().then((errors) => {
            for (const e of errors) log(`shutdown: ${e}`);
            resolve();
          });
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      });
    });
}
