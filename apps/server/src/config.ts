import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import {
  DEFAULT_FACE_MAX_BYTES,
  DEFAULT_FACE_TIMEOUT_MS,
  DEFAULT_TECH5_PREFETCH,
  ENRICHMENT_ADAPTERS,
  isFaceHostEntry,
  type EnrichmentAdapterName,
} from '@nexus/actors';
import { isAddressOrCidr } from './http/trustedProxies';
import { originOf } from './http/allowedOrigins';
import { isTimeZone } from './analytics/days';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Days some data is kept (at most 100 years); 0: kept for ever. */
const retentionDays = z.coerce.number().int().min(0).max(36_500).default(0);

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
  /** `/identify` without a token, for deployments behind a gateway of their own (docs/security.md). */
  NEXUS_IDENTIFY_PUBLIC: bool.default(false),
  /** Largest `/identify` body, in bytes: the contract's two fields fit in far less. */
  NEXUS_IDENTIFY_MAX_BODY_BYTES: z.coerce.number().int().min(256).max(1_048_576).default(16_384),
  NEXUS_CONSUMER_GROUP: z.string().default('nexus-deciders'),
  // Kafka and Elasticsearch (docs/decisions/0013-kafka-record-bus.md, 0014-elasticsearch-candidate-search.md).
  /** Comma-separated host:port list; unset: the record bus is a partitioned log in Postgres. */
  KAFKA_BROKERS: z
    .string()
    .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, { message: 'must be host:port[,host:port...]' })
    .optional(),
  /** Consumer group session timeout: how long a dead process keeps its partitions (broker minimum 6 s). */
  NEXUS_KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6000).max(300_000).default(30_000),
  /** Elasticsearch for candidate search; unset: Postgres blocking keys. */
  ELASTICSEARCH_URL: z.string().url().optional(),
  /** The alias of the golden record index. */
  NEXUS_SEARCH_INDEX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]*$/, { message: 'must be a lowercase Elasticsearch index name' })
    .default('nexus-golden-records'),
  // Tech5 biometrics (docs/decisions/0012-tech5-biometrics.md).
  /** T5-LDS (liveness) base URL; with TECH5_ABIS_URL. Both unset: the simulator on a loopback port. */
  TECH5_LDS_URL: z.string().url().optional(),
  /** T5-ABIS (1:N, MOSIP ABIS messages) URL; with TECH5_LDS_URL. */
  TECH5_ABIS_URL: z.string().url().optional(),
  /**
   * The simulator started here (no TECH5_* URLs) answers every call after exactly this many ms,
   * with next to no CPU of its own (apps/tech5-sim fixed-latency mode); 0: its normal work.
   */
  TECH5_SIM_FIXED_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /**
   * Liveness checks and 1:N searches of a task's queued records sent ahead of their decisions, at
   * most this many at once (docs/decisions/0054-overlap-of-the-tech5-calls.md); 0: one call at a
   * time, in each record's turn.
   */
  NEXUS_TECH5_PREFETCH: z.coerce.number().int().min(0).max(64).default(DEFAULT_TECH5_PREFETCH),
  // Face images (docs/decisions/0024-face-image-policy.md).
  /** Folders face_image file paths may name, separated like PATH (`:`); unset: no files. */
  NEXUS_FACE_DIRS: z
    .string()
    .transform((v) =>
      v
        .split(path.delimiter)
        .filter((d) => d.trim() !== '')
        .map((d) => path.resolve(d)),
    )
    .default([]),
  /** Host names, IP addresses or CIDR ranges face_image URLs may be fetched from, comma-separated; unset: none. */
  NEXUS_FACE_URL_HOSTS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    )
    .refine((hosts) => hosts.every(isFaceHostEntry), {
      message: 'must be host names, IP addresses or CIDR ranges, comma-separated',
    })
    .default([]),
  /** Largest face image read from a file, a URL or a data: URL, in bytes. */
  NEXUS_FACE_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(DEFAULT_FACE_MAX_BYTES),
  /** Longest a face_image URL may take (connect, redirects, whole body), in milliseconds. */
  NEXUS_FACE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(DEFAULT_FACE_TIMEOUT_MS),
  // Control plane (docs/decisions/0006-control-plane-auth-and-api.md).
  /** HS256 signing key of access tokens; unset: one is generated once and kept in the database. */
  NEXUS_JWT_SECRET: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** Seals the generated JWT signing key in the database; unset: one generated once into <data folder>/secret-key (0600). */
  NEXUS_SECRET_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  // Encryption at rest (docs/decisions/0049-encryption-at-rest.md): off while neither is set.
  /** The key-encryption key (32+ characters) wrapping the data keys of national ids, phones, emails, faces. */
  NEXUS_ENCRYPTION_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  /** A file holding the key-encryption key (a mounted secret), read at start instead of NEXUS_ENCRYPTION_KEY. */
  NEXUS_ENCRYPTION_KEY_FILE: z.string().min(1).optional(),
  /** The previous key-encryption key while `nexus keys rotate` re-wraps the data keys under the new one. */
  NEXUS_ENCRYPTION_PREVIOUS_KEY: z.string().min(32, { message: 'must be at least 32 characters' }).optional(),
  NEXUS_JWT_ISSUER: z.string().min(1).default('nexus'),
  NEXUS_JWT_AUDIENCE: z.string().min(1).default('nexus-api'),
  /** Lifetime of an access token, in seconds (short: a refresh token renews it). */
  NEXUS_ACCESS_TOKEN_TTL: z.coerce.number().int().min(10).max(86_400).default(900),
  /** Lifetime of a refresh token, in seconds. */
  NEXUS_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(90 * 86_400)
    .default(7 * 86_400),
  /** Largest HTTP request body (REST and tRPC), in bytes. */
  NEXUS_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(32 * 1024 * 1024),
  /** Largest WebSocket message, in bytes. */
  NEXUS_WS_MAX_PAYLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(1_073_741_824)
    .default(1024 * 1024),
  /** Requests per second each client (token, or address when anonymous) may make, sustained. */
  NEXUS_RATE_LIMIT_RPS: z.coerce.number().min(0.001).max(1_000_000).default(50),
  /** Requests a client may make at once above the sustained rate. */
  NEXUS_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(1_000_000).default(200),
  /** Sign-in attempts per minute from one address. */
  NEXUS_LOGIN_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Client buckets each rate limiter keeps (least recently used go first): bounds their memory. */
  NEXUS_RATE_LIMIT_MAX_CLIENTS: z.coerce.number().int().min(100).max(10_000_000).default(50_000),
  /**
   * Proxies whose X-Forwarded-For is believed (comma-separated addresses or CIDRs): requests from
   * them are limited and logged by the client address they forward. Unset: none, the peer address counts.
   */
  NEXUS_TRUSTED_PROXIES: z
    .string()
    .transform((value, ctx) => {
      const entries = value
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      for (const entry of entries)
        if (!isAddressOrCidr(entry))
          ctx.addIssue({ code: 'custom', message: `${entry} is not an IP address or CIDR (10.0.0.0/8)` });
      return entries;
    })
    .default([]),
  /** tRPC calls one HTTP request or WebSocket message may batch (each counts against the rate limit). */
  NEXUS_TRPC_MAX_BATCH: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Messages per second one WebSocket connection may send, sustained; above the burst it is closed (4429). */
  NEXUS_WS_MESSAGES_PER_SECOND: z.coerce.number().min(0.001).max(1_000_000).default(20),
  /** Messages one WebSocket connection may send at once above the sustained rate. */
  NEXUS_WS_MESSAGE_BURST: z.coerce.number().int().min(1).max(1_000_000).default(100),
  /** Subscriptions open at once on one WebSocket connection. */
  NEXUS_WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000).default(50),
  /**
   * Origins (scheme://host[:port], comma-separated) whose pages may open the WebSocket besides the
   * server's own; clients that send no Origin (not browsers) are let in and authenticate as usual.
   */
  NEXUS_ALLOWED_ORIGINS: z
    .string()
    .transform((value, ctx) => {
      const origins: string[] = [];
      for (const entry of value.split(',').map((e) => e.trim())) {
        if (entry === '') continue;
        const origin = originOf(entry);
        if (origin) origins.push(origin);
        else ctx.addIssue({ code: 'custom', message: `${entry} is not an origin (https://host:port)` });
      }
      return origins;
    })
    .default([]),
  /** The built dashboard (apps/web/dist by default); `npm start` builds it when its sources changed. */
  NEXUS_DASHBOARD_DIR: z.string().optional(),
  // Analytics (docs/decisions/0030-daily-rollups.md).
  /** The second time zone the daily rollups are cut in (IANA name); UTC is always rolled up too. */
  NEXUS_ANALYTICS_TIME_ZONE: z
    .string()
    .refine((zone) => isTimeZone(zone), { message: 'must be an IANA time zone such as Europe/Berlin' })
    .default('UTC'),
  /** Longest range of days one analytics request or API rollup may cover. */
  NEXUS_ANALYTICS_MAX_DAYS: z.coerce.number().int().min(1).max(3660).default(366),
  /** Seconds between the server's rollups of the current day; 0 turns the schedule off. */
  NEXUS_ROLLUP_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  /** Days before today rolled up again once a day (late decisions, resolved cases). */
  NEXUS_ROLLUP_LATE_DAYS: z.coerce.number().int().min(1).max(90).default(2),
  // Self-retraining (docs/decisions/0040-self-retraining.md).
  /** Decided records before the server first retrains its model; 0 turns self-retraining off. */
  NEXUS_RETRAIN_FIRST_RECORDS: z.coerce
    .number()
    .int()
    .max(1_000_000_000)
    .refine((n) => n === 0 || n >= 50, { message: 'must be 0 (off) or at least 50' })
    .default(1_000),
  /** The register grows by this factor from one retraining to the next. */
  NEXUS_RETRAIN_GROWTH_FACTOR: z.coerce.number().min(1.1).max(100).default(2),
  /** Share of the records held back from training to check a new model against. */
  NEXUS_RETRAIN_HELD_BACK_SHARE: z.coerce.number().min(0.01).max(0.5).default(0.1),
  /** Seconds between the server's checks whether a retraining is due; 0 turns the checks off. */
  NEXUS_RETRAIN_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  // Retention (docs/decisions/0038-retention.md): days each kind of data is kept; 0 keeps it for ever.
  /** Raw payloads (as received) of decided records: purged this many days after the decision. */
  NEXUS_RETENTION_RAW_DAYS: retentionDays,
  /** Face images of decided records (the template stays enrolled in ABIS). */
  NEXUS_RETENTION_FACE_DAYS: retentionDays,
  /** Resolved review cases, counted from their resolution. */
  NEXUS_RETENTION_REVIEW_DAYS: retentionDays,
  /** Audit log entries. */
  NEXUS_RETENTION_AUDIT_DAYS: retentionDays,
  /** Access records (who read whose data). */
  NEXUS_RETENTION_ACCESS_DAYS: retentionDays,
  /** Seconds between the server's retention runs (a day); 0 turns the schedule off. */
  NEXUS_RETENTION_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(604_800).default(86_400),
  // Notifications (docs/decisions/0035-notification-delivery.md).
  /**
   * IP addresses or CIDR ranges of loopback, private or link-local networks webhook URLs may reach,
   * comma-separated; unset: public addresses only.
   */
  NEXUS_WEBHOOK_URL_HOSTS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    )
    .refine((hosts) => hosts.every(isFaceHostEntry), {
      message: 'must be host names, IP addresses or CIDR ranges, comma-separated',
    })
    .default([]),
  /** How long a delivery is retried before its subscription is dead-lettered, in hours (decimals allowed). */
  NEXUS_WEBHOOK_RETRY_HOURS: z.coerce.number().min(0.0001).max(720).default(24),
  /** The first retry's delay, in milliseconds; each further one doubles (with jitter), up to an hour. */
  NEXUS_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(1000),
  /** Longest one delivery may take (connect, send, answer), in milliseconds. */
  NEXUS_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Deliveries in flight at once in this server. */
  NEXUS_NOTIFY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How often the delivery worker looks for work written by other servers, in milliseconds. */
  NEXUS_NOTIFY_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** SMTP server for email subscriptions: smtp://user:pass@host:port or smtps://...; unset: no email. */
  NEXUS_SMTP_URL: z
    .string()
    .url()
    .refine((u) => /^smtps?:\/\//.test(u), { message: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  /** The From address of notification emails. */
  NEXUS_SMTP_FROM: z
    .string()
    .regex(/^[^@\s]+@[^@\s]+$/, { message: 'must be an email address' })
    .default('nexus@localhost'),
  // Jobs (docs/decisions/0033-jobs.md).
  /** Hosts url sources may fetch from (`host[:port]`, IP addresses or CIDR ranges), comma-separated; unset: none. */
  NEXUS_SOURCE_URL_HOSTS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((h) => h.trim())
        .filter((h) => h !== ''),
    )
    .refine((hosts) => hosts.every((h) => isFaceHostEntry(h.replace(/:\d{1,5}$/, ''))), {
      message: 'must be host[:port], IP addresses or CIDR ranges, comma-separated',
    })
    .default([]),
  /** Folders file sources may read from, separated like PATH (`:`); unset: no files. */
  NEXUS_IMPORT_DIRS: z
    .string()
    .transform((v) =>
      v
        .split(path.delimiter)
        .filter((d) => d.trim() !== '')
        .map((d) => path.resolve(d)),
    )
    .default([]),
  /** Jobs fetching at once on this engine; the rest wait queued. */
  NEXUS_JOB_CONCURRENCY: z.coerce.number().int().min(0).max(64).default(2),
  /** Rows per batch a job stores (one transaction each, with its resume position). */
  NEXUS_JOB_BATCH_ROWS: z.coerce.number().int().min(1).max(10_000).default(5_000),
  /** Fetch attempts of a job before a retryable failure fails it. */
  NEXUS_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(6),
  /** First retry delay; doubled each attempt, with full jitter, at most 5 minutes. */
  NEXUS_JOB_RETRY_BASE_MS: z.coerce.number().int().min(1).max(600_000).default(1_000),
  /** A running job's lease; another engine resumes it this long after its engine stopped. */
  NEXUS_JOB_LEASE_SECONDS: z.coerce.number().int().min(1).max(3_600).default(30),
  /** Longest a source may stay silent (connecting, or between two reads) before the fetch is retried. */
  NEXUS_JOB_FETCH_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Largest file POST /api/v1/uploads takes, in bytes. */
  NEXUS_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).max(1e12).default(5e9),
  // Enrichment (docs/decisions/0041-enrichment-stage.md).
  /**
   * Adapters of the enrichment stage, comma-separated: `translit` (local romanisation and
   * transliteration variants), `llm` (an OpenAI-compatible endpoint parses free-text names and
   * addresses); `off` for none.
   */
  NEXUS_ENRICH: z
    .string()
    .transform((value, ctx) => {
      const names = value
        .split(',')
        .map((n) => n.trim().toLowerCase())
        .filter((n) => n !== '');
      if (names.length === 1 && (names[0] === 'off' || names[0] === 'none')) return [];
      for (const n of names)
        if (!(ENRICHMENT_ADAPTERS as readonly string[]).includes(n))
          ctx.addIssue({
            code: 'custom',
            message: `${n} is not an adapter (${ENRICHMENT_ADAPTERS.join(', ')}, or off)`,
          });
      return [...new Set(names)] as EnrichmentAdapterName[];
    })
    .default(['translit']),
  /** OpenAI-compatible chat-completions endpoint of the `llm` adapter (base URL or .../chat/completions). */
  NEXUS_ENRICH_LLM_URL: z.string().url().optional(),
  NEXUS_ENRICH_LLM_MODEL: z.string().min(1).max(200).optional(),
  /** Bearer key of the endpoint; unset for one that needs none. */
  NEXUS_ENRICH_LLM_KEY: z.string().min(1).optional(),
  /** Longest the stage waits for the endpoint before the local answer is used. */
  NEXUS_ENRICH_LLM_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  /** Answers kept by input (least recently used forgotten); 0 keeps none. */
  NEXUS_ENRICH_LLM_CACHE_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(10_000),
  /** Failures in a row after which the endpoint is left alone for NEXUS_ENRICH_LLM_BREAKER_RESET_MS. */
  NEXUS_ENRICH_LLM_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  NEXUS_ENRICH_LLM_BREAKER_RESET_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Settings that only make sense together. */
const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  if (!env.NEXUS_ENRICH.includes('llm')) return;
  for (const key of ['NEXUS_ENRICH_LLM_URL', 'NEXUS_ENRICH_LLM_MODEL'] as const)
    if (env[key] === undefined)
      ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NEXUS_ENRICH has llm' });
});

export type Config = Omit<z.infer<typeof envSchema>, 'NEXUS_DATA_DIR'> & { NEXUS_DATA_DIR: string };

export class ConfigError extends Error {
  readonly code = 'CONFIG.INVALID';
}

/** Parses the environment once, at start; everything else receives the resulting object. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = checkedEnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, NEXUS_DATA_DIR: path.resolve(parsed.data.NEXUS_DATA_DIR) };
}
