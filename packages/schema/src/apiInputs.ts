import { z } from 'zod';
import { accessReason } from './access';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from './canonicalRecord';

/**
 * Inputs of the control plane's API (tRPC procedures and their REST routes), shared with clients.
 * Outputs are the services' view types, exported with the AppRouter.
 */

/** Records one batch may hold (path A); larger files are split by the client. */
export const MAX_BATCH_RECORDS = 10_000;

const id = z.string().uuid({ message: 'must be a UUID' });
/** Text that goes to Postgres: no NUL, no broken Unicode. */
const text = (max: number) =>
  z.string().max(max).refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
const name = z.string().trim().min(1).max(200).refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
const reason = z
  .string()
  .trim()
  .min(3, { message: 'give a reason (at least 3 characters)' })
  .max(2000)
  .refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
const limit = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);
const lastEventId = z.string().max(100).nullish();
const bigintId = z.string().regex(/^\d{1,18}$/, { message: 'must be a numeric id' });

export const USER_ROLE_VALUES = ['admin', 'operator', 'reviewer', 'ingest'] as const;

export const loginInput = z.object({
  username: text(200).refine((u) => u.length > 0, { message: 'is required' }),
  password: z.string().min(1).max(1000),
});
export const refreshInput = z.object({ refreshToken: z.string().min(1).max(500) });
export const changePasswordInput = z.object({
  currentPassword: z.string().min(1).max(1000),
  newPassword: z.string().min(8, { message: 'must have at least 8 characters' }).max(1000),
});

export const submitBatchInput = z.object({
  source: name,
  records: z
    .array(z.unknown())
    // The most records a batch holds (MAX_BATCH_RECORDS) is checked by the service: BATCH.TOO_LARGE.
    .min(1, { message: 'a batch needs at least one record' }),
});
export const streamRecordInput = z.object({ source: name, record: z.unknown() });

export const batchIdInput = z.object({ batchId: id });
export const listBatchesInput = z
  .object({
    status: z.enum(['received', 'processing', 'completed', 'failed', 'cancelled']).optional(),
    source: name.optional(),
    cursor: id.optional(),
    limit: limit(500, 50),
  })
  .prefault({});

/** `reason`: why a person's data is read, kept in the access record (optional here; see accessReason). */
export const recordRefInput = z.union([
  z.object({ id, reason: accessReason.optional() }),
  z.object({
    source: name,
    externalId: text(200).refine((v) => v.length > 0, { message: 'is required' }),
    reason: accessReason.optional(),
  }),
]);

export const customerSearchInput = z
  .object({
    name: text(200).optional(),
    dateOfBirth: z.string().trim().max(20).optional(),
    identifier: text(320).optional(),
    limit: limit(200, 25),
    /** Required by the procedure (ACCESS.REASON_REQUIRED): a search outside the review queue says why. */
    reason: accessReason.optional(),
  })
  .refine((s) => Boolean(s.name || s.dateOfBirth || s.identifier), {
    message: 'search by name, dateOfBirth or identifier',
    path: ['name'],
  });
export const customerIdInput = z.object({ customerId: id, reason: accessReason.optional() });
export const mergeCustomersInput = z
  .object({ survivorId: id, mergedId: id, reason })
  .refine((m) => m.survivorId !== m.mergedId, {
    message: 'cannot merge a customer with itself',
    path: ['mergedId'],
  });
export const splitCustomerInput = z.object({ customerId: id, recordId: id, reason });

export const reviewQueueInput = z
  .object({
    status: z.enum(['open', 'claimed', 'resolved', 'unresolved']).optional(),
    kind: z.enum(['possible_match', 'merge_proposal', 'biometric_conflict']).optional(),
    claimedBy: name.optional(),
    mine: z.boolean().optional(),
    source: name.optional(),
    minScore: z.number().finite().optional(),
    maxScore: z.number().finite().optional(),
    cursor: id.optional(),
    limit: limit(200, 50),
  })
  .prefault({});
export const caseIdInput = z.object({ caseId: id, reason: accessReason.optional() });
export const resolveCaseInput = z.discriminatedUnion('resolution', [
  z.object({ caseId: id, resolution: z.literal('same_as'), goldenId: id, reason }),
  z.object({ caseId: id, resolution: z.literal('new_person'), reason }),
  z.object({ caseId: id, resolution: z.literal('merge'), survivorId: id.optional(), reason }),
  z.object({ caseId: id, resolution: z.literal('reject'), reason }),
]);

export const listDeadLettersInput = z
  .object({
    status: z.enum(['open', 'replayed', 'discarded']).optional(),
    partition: z.number().int().min(0).max(10_000).optional(),
    batchId: id.optional(),
    cursor: bigintId.optional(),
    limit: limit(500, 50),
  })
  .prefault({});
export const deadLetterIdInput = z.object({ id: bigintId });
export const discardDeadLetterInput = z.object({ id: bigintId, reason });

export const listAuditInput = z
  .object({
    entityType: text(64).optional(),
    entityId: text(200).optional(),
    recordId: id.optional(),
    actor: text(200).optional(),
    action: text(200).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    cursor: bigintId.optional(),
    limit: limit(500, 100),
  })
  .prefault({});

export const addUserInput = z.object({
  username: text(64),
  role: z.enum(USER_ROLE_VALUES),
  kind: z.enum(['person', 'service']).default('person'),
  password: z.string().min(8, { message: 'must have at least 8 characters' }).max(1000).optional(),
});
export const usernameInput = z.object({ username: text(64) });
export const apiKeyInput = z.object({ username: text(64), keyId: id });

export const liveFeedInput = z.object({ lastEventId }).prefault({});
export const batchProgressInput = z.object({ batchId: id, lastEventId });
export const auditFeedInput = z
  .object({ lastEventId, entityType: text(64).optional(), action: text(200).optional() })
  .prefault({});

/** The model versions list (docs/decisions/0040-self-retraining.md). */
export const modelVersionsInput = z.object({ limit: limit(200, 50) }).optional();

/** Retrain on demand: nothing to choose; the server's settings apply. */
export const modelRetrainInput = z.object({}).strict().optional();
