import type { Command } from 'commander';
import { createDb, migrateToLatest } from '@nexus/actors';
import { loadConfig } from '../config';
import { resolvePostgres } from '../db/postgres';
import { encryptionKeySecrets } from '../privacy/encryptionKeys';
import { rotateKeys } from '../privacy/keyRotation';

/** `nexus keys rotate`: a new data key, every value re-encrypted under it, while the server runs. */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('keys of encryption at rest (NEXUS_ENCRYPTION_KEY)');
  keys
    .command('rotate')
    .description(
      're-wrap the data keys under NEXUS_ENCRYPTION_KEY (the old key-encryption key in NEXUS_ENCRYPTION_PREVIOUS_KEY), ' +
        'make a new data key active and re-encrypt every stored value under it, in batches, while the engine runs',
    )
    .option('--batch-size <n>', 'rows per transaction', (v) => Number.parseInt(v, 10), 500)
    .option('--database-url <url>', 'Postgres (default: DATABASE_URL or the embedded one)')
    .action(async (opts: { batchSize: number; databaseUrl?: string }) => {
      const config = loadConfig();
      const secrets = encryptionKeySecrets(config);
      if (secrets.length === 0)
        throw new Error('nexus keys rotate needs NEXUS_ENCRYPTION_KEY or NEXUS_ENCRYPTION_KEY_FILE');
      if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1 || opts.batchSize > 10_000) {
        throw new Error('--batch-size must be a whole number from 1 to 10000');
      }
      const postgres = await resolvePostgres(opts.databaseUrl ?? config.DATABASE_URL, config.NEXUS_DATA_DIR);
      const db = createDb(postgres.url, { maxConnections: 2, applicationName: 'nexus-keys' });
      const started = performance.now();
      try {
        await migrateToLatest(db);
        const report = await rotateKeys(db, secrets, { batchSize: opts.batchSize });
        process.stdout.write(
          `${JSON.stringify({
            active_key: report.activeKeyId,
            rewrapped_keys: report.rewrappedKeys,
            reencrypted: report.reencrypted,
            passes: report.passes,
            remaining: report.remaining,
            retired_keys: report.retiredKeyIds,
            seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
          })}\n`,
        );
        if (report.remaining > 0) process.exitCode = 1;
      } finally {
        await db.destroy();
        await postgres.stop();
      }
    });
}
