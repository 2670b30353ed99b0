import { Command, CommanderError } from 'commander';
import { registerDedupe } from './dedupeCommand';
import { registerErase } from './eraseCommand';
import { registerGenerate } from './generateCommand';
import { registerIngest } from './ingestCommand';
import { registerMigrate } from './migrateCommand';
import { registerReindex } from './reindexCommand';
import { registerRollup } from './rollupCommand';
import { registerRetention } from './retentionCommand';
import { registerKeys } from './keysCommand';
import { registerWorker } from './workerCommand';
import { registerStart } from './startCommand';
import { registerTrain } from './trainCommand';
import { registerUser } from './userCommand';

/** `nexus` — every subcommand is a thin adapter over a service; errors end as one clear line. */
export async function main(argv: string[]): Promise<number> {
  const program = new Command('nexus')
    .description('Nexus identity de-duplication engine')
    .exitOverride()
    .showHelpAfterError('(run nexus --help for usage)');
  registerStart(program);
  registerDedupe(program);
  registerGenerate(program);
  registerMigrate(program);
  registerTrain(program);
  registerReindex(program);
  registerWorker(program);
  registerIngest(program);
  registerUser(program);
  registerRollup(program);
  registerErase(program);
  registerRetention(program);
  registerKeys(program);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    const code = (error as { code?: unknown }).code;
    process.stderr.write(
      `nexus: ${error instanceof Error ? error.message : String(error)}${typeof code === 'string' ? ` [${code}]` : ''}\n`,
    );
    return 1;
  }
}
