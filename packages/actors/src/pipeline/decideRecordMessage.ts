import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { parseCanonicalRecord, type RecordStatus, type RawRecordMessage } from '@nexus/schema';
import type { Db } from '../db/database';
import { blockingKeys, decideRecord, normaliseRecord, type Decision, type NormalisedRecord } from '../matching';
import type { ActiveModel } from './activeModel';
import { lockBlockingKeys } from './advisoryLocks';
import { appendAudit, ENGINE_ACTOR } from './audit';
import { findCandidates } from './candidates';
import { createGoldenRecord, linkToGoldenRecord } from './goldenRecords';
import { noBiometrics, type BiometricStages } from './biometricStages';

export interface PipelineContext {
  db: Db;
  model: ActiveModel;
  defaultCountry?: string;
  biometrics?: BiometricStages;
}

export interface RecordDecided {
  recordId: string;
  status: RecordStatus;
  goldenId: string | null;
  /** True when the record had been decided before (a redelivery): nothing was written. */
  replayed: boolean;
}

const TERMINAL = new Set<RecordStatus>(['new', 'linked', 'review', 'rejected', 'dead_lettered', 'cancelled']);

/**
 * The pipeline for one record: validate + normalise -> liveness -> (under lock) candidates ->
 * score -> decide -> persist, all persisted in one transaction that is idempotent on the record id.
 */
export async function decideRecordMessage(
  ctx: PipelineContext,
  partition: number,
  message: RawRecordMessage,
): Promise<RecordDecided> {
  const biometrics = ctx.biometrics ?? noBiometrics;
  const parsed = parseCanonicalRecord(message.record, { source: message.source });
  const normalised = parsed.ok ? normaliseRecord(parsed.record, { defaultCountry: ctx.defaultCountry }) : null;
  const keys = normalised ? blockingKeys(normalised) : [];
  const liveness = parsed.ok ? await biometrics.checkLiveness(parsed.record) : null;

  const result = await ctx.db.transaction().execute(async (trx): Promise<RecordDecided> => {
    const existing = await claimRecordRow(trx, partition, message);
    if (existing === 'owned-by-another-id') {
      return { recordId: message.recordId, status: 'rejected', goldenId: null, replayed: true };
    }
    if (TERMINAL.has(existing)) {
      return { recordId: message.recordId, status: existing, goldenId: null, replayed: true };
    }
    if (!parsed.ok || !normalised) {
      await trx
        .updateTable('records')
        .set({
          status: 'rejected',
          errors: JSON.stringify(parsed.ok ? [] : parsed.errors) as never,
          decision_rule: 'invalid_record',
          decided_at: sql`now()`,
        })
        .where('id', '=', message.recordId)
        .execute();
      return { recordId: message.recordId, status: 'rejected', goldenId: null, replayed: false };
    }
    if (liveness && !liveness.live) {
      return rejectSpoof(trx, message.recordId, liveness.reason);
    }

    await lockBlockingKeys(trx, keys);
    const candidates = await findCandidates<NormalisedRecord>(trx, keys);
    const decision = decideRecord(normalised, candidates, ctx.model.params, ctx.model.policy);
    const { status, goldenId } = await persistDecision(trx, message, decision);
    await trx
      .insertInto('blocking_keys')
      .values(keys.map((key) => ({ key, record_id: message.recordId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
    await trx
      .updateTable('records')
      .set({
        status,
        normalised: JSON.stringify(normalised) as never,
        explanation: JSON.stringify({ ...decision.explanation, liveness }) as never,
        decision_rule: decision.explanation.rule,
        model_version: ctx.model.version,
        errors: parsed.warnings.length > 0 ? (JSON.stringify(parsed.warnings) as never) : null,
        decided_at: sql`now()`,
      })
      .where('id', '=', message.recordId)
      .execute();
    return { recordId: message.recordId, status, goldenId, replayed: false };
  });
  if (!result.replayed && result.goldenId && parsed.ok) await biometrics.enrol(result.goldenId, parsed.record);
  return result;
}

/** Makes sure the record's row exists (path B writes it here) and locks it for this decision. */
async function claimRecordRow(
  trx: Db,
  partition: number,
  message: RawRecordMessage,
): Promise<RecordStatus | 'owned-by-another-id'> {
  await trx
    .insertInto('records')
    .values({
      id: message.recordId,
      batch_id: message.batchId,
      source: message.source,
      external_id: message.record.external_id,
      partition,
      payload: JSON.stringify(message.record) as never,
      status: 'relayed',
      received_at: message.receivedAt,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const row = await trx
    .selectFrom('records')
    .select('status')
    .where('id', '=', message.recordId)
    .forUpdate()
    .executeTakeFirst();
  return row ? row.status : 'owned-by-another-id';
}

async function rejectSpoof(trx: Db, recordId: string, reason: string): Promise<RecordDecided> {
  await trx
    .updateTable('records')
    .set({
      status: 'rejected',
      decision_rule: 'liveness_failed',
      errors: JSON.stringify([{ field: 'face_image', message: reason }]) as never,
      decided_at: sql`now()`,
    })
    .where('id', '=', recordId)
    .execute();
  return { recordId, status: 'rejected', goldenId: null, replayed: false };
}

async function persistDecision(
  trx: Db,
  message: RawRecordMessage,
  decision: Decision,
): Promise<{ status: RecordStatus; goldenId: string | null }> {
  switch (decision.kind) {
    case 'new': {
      const goldenId = await createGoldenRecord(trx, message.recordId, message.record);
      return { status: 'new', goldenId };
    }
    case 'link': {
      await linkToGoldenRecord(trx, decision.goldenId, message.recordId, decision.score);
      return { status: 'linked', goldenId: decision.goldenId };
    }
    case 'review': {
      const caseId = randomUUID();
      await trx
        .insertInto('review_cases')
        .values({
          id: caseId,
          record_id: message.recordId,
          kind: decision.reviewKind,
          status: 'open',
          score: decision.score,
        })
        .execute();
      const scores = new Map(decision.explanation.candidates.map((c) => [c.goldenId, c]));
      await trx
        .insertInto('review_case_candidates')
        .values(
          decision.goldenIds.map((goldenId) => ({
            case_id: caseId,
            golden_id: goldenId,
            score: scores.get(goldenId)?.score ?? decision.score,
            explanation: JSON.stringify({ bestMember: scores.get(goldenId)?.recordId ?? null }) as never,
          })),
        )
        .execute();
      await appendAudit(trx, [
        {
          actor: ENGINE_ACTOR,
          action: 'review_case.opened',
          entity_type: 'review_case',
          entity_id: caseId,
          record_id: message.recordId,
          before: null,
          after: { kind: decision.reviewKind, candidates: decision.goldenIds, score: decision.score },
        },
      ]);
      return { status: 'review', goldenId: null };
    }
  }
}
