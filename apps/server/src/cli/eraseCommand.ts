import type { Command } from 'commander';

/** reason, url and token are requiredOptions: commander stops before the action without them. */
interface EraseOptions {
  customer?: string;
  record?: string[];
  reason: string;
  dryRun?: boolean;
  url: string;
  token: string;
}

/**
 * `nexus erase`: an erasure through a running server (the one that talks to ABIS and the index),
 * never straight into the database. Prints the server's answer: what was, or would be, erased.
 */
export function registerErase(program: Command): void {
  program
    .command('erase')
    .description(
      'erase a person (--customer) or records (--record), through a running server; --dry-run first',
    )
    .option('--customer <id>', 'the golden record: it and all its member records are erased')
    .option('--record <id...>', 'single records to erase (repeat, or several after one flag)')
    .requiredOption('--reason <text>', 'why (kept with the tombstone; never a personal value)')
    .option('--dry-run', 'answer what would be erased, change nothing')
    .requiredOption('--url <url>', 'the running server')
    .requiredOption('--token <token>', "an admin's access token")
    .action(async (opts: EraseOptions) => {
      if ((opts.customer === undefined) === (opts.record === undefined))
        throw new Error('give --customer or --record, not both');
      const { createNexusClient } = await import('../client/createNexusClient');
      const client = createNexusClient(opts.url, opts.token);
      try {
        const result = await client.trpc.privacy.erase.mutate({
          ...(opts.customer !== undefined ? { customerId: opts.customer } : { recordIds: opts.record }),
          reason: opts.reason,
          dryRun: opts.dryRun === true,
        });
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } finally {
        await client.close();
      }
    });
}
