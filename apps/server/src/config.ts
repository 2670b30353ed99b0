import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  NEXUS_DATA_DIR: z.string().default('./.data'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  NEXUS_PARTITIONS: z.coerce.number().int().min(1).max(256).default(8),
  NEXUS_WORKERS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    // Deciding is mostly waiting on Postgres, which shares the machine: half the cores is faster
    // than all of them (FEBRL 3 on 2 cores: 168 records/s with one thread, 93-115 with two).
    .default(Math.max(1, Math.floor(os.availableParallelism() / 2))),
  NEXUS_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  NEXUS_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(16),
  NEXUS_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  NEXUS_DEFAULT_COUNTRY: z.string().length(2).optional(),
  NEXUS_ADMIN_PASSWORD: z.string().min(8).optional(),
  NEXUS_IDENTIFY_PUBLIC: bool.default(false),
  NEXUS_CONSUMER_GROUP: z.string().default('nexus-deciders'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = Omit<z.infer<typeof envSchema>, 'NEXUS_DATA_DIR'> & { NEXUS_DATA_DIR: string };

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Parses the environment once, at start; everything else receives the resulting object. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, NEXUS_DATA_DIR: path.resolve(parsed.data.NEXUS_DATA_DIR) };
}
