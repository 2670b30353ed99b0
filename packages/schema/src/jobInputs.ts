import { z } from 'zod';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/** Inputs of the jobs API (docs/decisions/0033-jobs.md): sources, jobs, their filters. */

const id = z.string().uuid({ message: 'must be a UUID' });
const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { message: 'is required' })
    .max(max)
    .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
const name = text(200);
/** Column -> canonical field, as `nexus ingest --map` takes them (checked by the server's parser). */
const columnMap = z.record(text(200), z.string().trim().max(200)).default({});
const common = { map: columnMap, recordSource: name.optional() };

export const SOURCE_KINDS = ['url', 'file', 'postgres', 's3', 'upload'] as const;
export const JOB_STATUSES = ['queued', 'fetching', 'deciding', 'completed', 'failed', 'cancelled'] as const;

export const urlSourceSpec = z.object({
  kind: z.literal('url'),
  url: text(4000),
  /** Sent as `Authorization: Bearer ...`; a secret. */
  bearerToken: text(4000).optional(),
  /** Other request headers (API keys); secrets. */
  headers: z.record(text(200), z.string().max(4000)).optional(),
  format: z.enum(['csv', 'ndjson']).optional(),
  ...common,
});
export const fileSourceSpec = z.object({
  kind: z.literal('file'),
  path: text(4000),
  format: z.enum(['csv', 'ndjson']).optional(),
  ...common,
});
export const postgresSourceSpec = z.object({
  kind: z.literal('postgres'),
  /** postgres://user:password@host/db; a secret (it holds the password). */
  connectionString: text(4000),
  query: text(100_000),
  ...common,
});
export const s3SourceSpec = z.object({
  kind: z.literal('s3'),
  bucket: text(255),
  /** One object, or every object under `prefix` (in key order). */
  key: text(1024).optional(),
  prefix: z.string().max(1024).optional(),
  region: text(100).default('us-east-1'),
  endpoint: text(2000).optional(),
  forcePathStyle: z.boolean().optional(),
  accessKeyId: text(200).optional(),
  secretAccessKey: text(4000).optional(),
  sessionToken: text(8000).optional(),
  format: z.enum(['csv', 'ndjson']).optional(),
  ...common,
});
export const uploadSourceSpec = z.object({
  kind: z.literal('upload'),
  /** What POST /api/v1/uploads answered. */
  uploadId: id,
  format: z.enum(['csv', 'ndjson']).optional(),
  ...common,
});

export const sourceSpec = z.discriminatedUnion('kind', [
  urlSourceSpec,
  fileSourceSpec,
  postgresSourceSpec,
  s3SourceSpec,
  uploadSourceSpec,
]);
export type SourceSpec = z.output<typeof sourceSpec>;

/** A cron expression (5 or 6 fields), checked by the server's parser; null clears it. */
const schedule = z.string().trim().max(200).nullish();

export const createSourceInput = z.object({ name, schedule, source: sourceSpec });
export const updateSourceInput = z.object({
  sourceId: id,
  name: name.optional(),
  schedule,
  /** The whole spec again; secrets left out keep their saved values. */
  source: sourceSpec.optional(),
});
export const sourceIdInput = z.object({ sourceId: id });

export const createJobInput = z.union([
  z.object({ sourceId: id, name: name.optional() }).strict(),
  z.object({ source: sourceSpec, name: name.optional() }).strict(),
]);
export const jobIdInput = z.object({ jobId: id });
export const listJobsInput = z
  .object({
    status: z.enum(JOB_STATUSES).optional(),
    source: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .prefault({});
export const jobRejectionsInput = z.object({
  jobId: id,
  afterLine: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/**
 * Test the connection: a saved source, an unsaved spec, or a saved source with changed settings
 * (secrets left out keep their saved values, as in updateSourceInput).
 */
export const testSourceInput = z
  .object({
    sourceId: id.optional(),
    source: sourceSpec.optional(),
    /** Rows to read and show. */
    rows: z.coerce.number().int().min(1).max(50).default(5),
  })
  .refine((v) => v.sourceId !== undefined || v.source !== undefined, {
    message: 'give sourceId, source, or both',
    path: ['source'],
  });
