import type { Command } from 'commander';
import { USER_ROLES, type UserRole } from '@nexus/schema';
import type { AddedUser, NewUser } from '../users/usersService';

interface UserAddOptions {
  role: string;
  password?: string;
  service?: boolean;
  databaseUrl?: string;
  url?: string;
  token?: string;
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('manage the accounts that may use the API and dashboard');
  user
    .command('add')
    .description('add a person (password) or a service account (API key); what is generated is printed once')
    .argument('<username>', 'the new account name')
    .requiredOption('--role <role>', `one of ${USER_ROLES.join(', ')}`)
    .option('--password <password>', 'the password (default: a random one, printed once)')
    .option('--service', 'a service account for machine clients: gets an API key instead of a password')
    .option(
      '--database-url <url>',
      'the database (default: DATABASE_URL or the embedded one, which must not be in use)',
    )
    .option('--url <url>', 'add it through a running server instead (needs --token of an admin)')
    .option('--token <token>', "an admin's access token, with --url")
    .action(async (username: string, opts: UserAddOptions) => {
      if (!(USER_ROLES as readonly string[]).includes(opts.role)) {
        throw new Error(`--role must be one of ${USER_ROLES.join(', ')}, not ${opts.role}`);
      }
      const input = {
        username,
        role: opts.role as UserRole,
        kind: opts.service ? ('service' as const) : ('person' as const),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      };
      const added = opts.url
        ? await addThroughServer(opts.url, opts, input)
        : await addInDatabase(opts, input);
      process.stdout.write(
        `added ${added.user.kind === 'service' ? 'service account' : 'user'} ${added.user.username} (${added.user.role})\n`,
      );
      if (added.generatedPassword)
        process.stdout.write(`password (shown once): ${added.generatedPassword}\n`);
      if (added.apiKey)
        process.stdout.write(`API key (shown once; send as Authorization: Bearer KEY): ${added.apiKey}\n`);
    });
}

// The modules below are loaded when the command runs, so other commands do not pay for them.
async function addThroughServer(url: string, opts: UserAddOptions, input: NewUser): Promise<AddedUser> {
  if (!opts.token) throw new Error('--url needs --token (an admin access token)');
  const { createNexusClient } = await import('../client/createNexusClient');
  const client = createNexusClient(url, opts.token);
  try {
    return await client.trpc.users.add.mutate(input);
  } finally {
    await client.close();
  }
}

async function addInDatabase(opts: UserAddOptions, input: NewUser): Promise<AddedUser> {
  const [{ createDb, migrateToLatest }, { loadConfig }, { resolvePostgres }, { addUser }] = await Promise.all(
    [import('@nexus/actors'), import('../config'), import('../db/postgres'), import('../users/usersService')],
  );
  const config = loadConfig();
  const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
  const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-cli' });
  try {
    await migrateToLatest(db);
    return await addUser(db, input, 'cli');
  } finally {
    await db.destroy();
    await postgres.stop();
  }
}
