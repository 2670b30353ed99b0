import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from './appRouter.js';

type Outputs = inferRouterOutputs<AppRouter>;

type CanonicalRecord = Outputs['ingest']['readUpload']['records'][number];

/**
 * One record as submitted: `external_id` (unique per source), the canonical fields
 * (given_name, family_name, date_of_birth, email, phone...) and free `attributes`. The server
 * checks each one and answers what it refused, field by field.
 */
export type NexusRecord = Omit<CanonicalRecord, 'attributes'> & { attributes?: Record<string, string> };
/** The server's answer to one batch: its id, and which records it refused or already had. */
export type BatchReceipt = Outputs['ingest']['submitBatch'];
/** A batch as the server reports it: status and counts by decision. */
export type BatchView = Outputs['batches']['get'];
export type BatchCounts = BatchView['counts'];
