import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  isTerminalRecordStatus,
  parseCanonicalRecord,
  type CanonicalRecord,
  type RawRecordMessage,
  type RecordStatus,
} from '@nexus/schema';
import type { Db } from '../db/database';
import {
  blockingKeys,
  decideRecord,
  normaliseRecord,
  type BiometricEvidence,
  type Decision,
  type NormalisedRecord,
} from '@nexus/matching';
import type { ActiveModel } from './activeModel';
import { explain, reviewCandidatesOf, reviewOpenedAudit } from './decisionRows';
import { insertBiometricReference } from './biometricReferences';
import { noBiometrics, type BiometricStages } from './biometricStages';
import { completeEnrolment } from './faceEnrolment';
import { runFaceStages } from './faceStages';
import { faceEvidence, verifyFaceConflict } from './faceEvidence';
import type { CandidateSearch } from '../search/candidateSearch';
import { noEnrichment, type Enricher } from '../enrichment';
import { findCandidates } from './candidates';
import { fieldQuality } from './fieldQuality';
import { claimRecordRow, DuplicateExternalIdError } from './claimRecordRow';
import { StageClock, type StageTimings } from './stageClock';
import {
  createGoldenRecord,
  GoldenRecordErasedError,
  linkToGoldenRecord,
  lockBlockingKeys,
  lockGoldenRecord,
} from '../goldenRecords';
import { addMergeProposal } from './mergeProposals';
import {
  insertAuditEntries,
  insertBlockingKeys,
  insertReviewCandidates,
  insertReviewCase,
  WriteSet,
} from './writeSet';
import { sealPersonal } from '../privacy/personalFields';

export interface PipelineContext {
  db: Db;
  model: ActiveModel;
  defaultCountry?: string;
  biometrics?: BiometricStages;
  /** Where candidates come from (unset: Postgres blocking keys, findCandidates). */
  candidates?: CandidateSearch;
  /** The enrichment stage between normalise and candidates (unset: none; NEXUS_ENRICH). */
  enrichment?: Enricher;
  /**
   * Records with a face decided in micro-batches, their Tech5 calls in waves of at most
   * `concurrency` (docs/decisions/0055-faces-in-the-micro-batch-path.md); unset: one at a time.
   */
  faceBatch?: { concurrency: number };
}

export interface RecordDecided {
  recordId: string;
  status: RecordStatus;
  goldenId: string | null;
  /** True when the record had been decided before (a redelivery): nothing was written. */
  replayed: boolean;
  /** Where the time went, for the live overview and /metrics. */
  stages: StageTimings;
}

/**
 * The pipeline for one record: validate + normalise -> liveness -> face 1:N (live faces only) ->
 * (under lock) candidates -> score -> decide -> persist, in one transaction that is idempotent on
 * the record id: claim the record row (1 statement), lock its keys (1), read candidates (1), write
 * it all (1). Then the face is enrolled (docs/decisions/0012-tech5-biometrics.md).
 */
export async function decideRecordMessage(
  ctx: PipelineContext,
  partition: number,
  message: RawRecordMessage,
): Promise<RecordDecided> {
  const biometrics = ctx.biometrics ?? noBiometrics;
  const clock = new StageClock();
  const parsed = parseCanonicalRecord(message.record, { source: message.source });
  const plain = parsed.ok ? normaliseRecord(parsed.record, { defaultCountry: ctx.defaultCountry }) : null;
  // Enriched forms are what the record is compared and stored by; the payload keeps what was sent.
  const enriched =
    parsed.ok && plain ? await (ctx.enrichment ?? noEnrichment).enrich(parsed.record, plain) : null;
  const normalised = enriched?.normalised ?? null;
  const keys = normalised ? blockingKeys(normalised) : [];
  clock.lap('validate');
  const face = await runFaceStages(
    ctx.db,
    biometrics,
    message.recordId,
    parsed.ok ? parsed.record : null,
    clock,
  );
  const outcome = (
    status: RecordStatus,
    goldenId: string | null = null,
    replayed = false,
  ): RecordDecided => ({
    recordId: message.recordId,
    status,
    goldenId,
    replayed,
    stages: clock.timings,
  });

  // A remote candidate search (Elasticsearch) runs before the transaction, not under the key locks.
  const prefetched =
    normalised && ctx.candidates?.prefetch ? await ctx.candidates.prefetch(ctx.db, normalised) : undefined;
  if (prefetched) clock.lap('candidates');

  let result: RecordDecided;
  try {
    result = await ctx.db.transaction().execute(async (trx): Promise<RecordDecided> => {
      const existing = await claimRecordRow(trx, partition, message);
      clock.lap('persist');
      if (isTerminalRecordStatus(existing)) return outcome(existing, null, true);
      if (!parsed.ok || !normalised) {
        await rejectRecord(trx, message.recordId, 'invalid_record', parsed.ok ? [] : parsed.errors);
        return outcome('rejected');
      }
      if (face.kind === 'spoof') {
        const { liveness } = face;
        const reason = [{ field: 'face_image', message: liveness.reason }];
        await rejectRecord(trx, message.recordId, 'liveness_failed', reason, { liveness });
        return outcome('rejected');
      }
      await lockBlockingKeys(trx, keys);
      const candidates = ctx.candidates
        ? await ctx.candidates.find<NormalisedRecord>(trx, normalised, keys, prefetched)
        : await findCandidates<NormalisedRecord>(trx, keys);
      const faces =
        face.kind === 'searched' ? await faceEvidence(trx, face.search, candidates, face.since) : null;
      clock.lap('candidates');
      const decide = (evidence: BiometricEvidence | undefined) =>
        decideRecord(
          normalised,
          faces ? [...candidates, ...faces.extra] : candidates,
          ctx.model.params,
          ctx.model.policy,
          ctx.model.tf,
          evidence,
        );
      let decision = decide(faces?.evidence);
      const verified =
        faces && face.kind === 'searched'
          ? await verifyFaceConflict(trx, biometrics, parsed.record, decision, faces.evidence, face.since)
          : null;
      if (verified) decision = decide(verified);
      clock.lap('decide');
      const writes = new WriteSet();
      const { status, goldenId } = await planDecision(trx, writes, message.recordId, parsed.record, decision);
      writes.add(insertBlockingKeys(message.recordId, keys));
      if (face.kind === 'searched' && goldenId)
        writes.add(insertBiometricReference(message.recordId, goldenId));
      await writes.execute(
        trx,
        sql`update records set
          status = ${status},
          normalised = ${JSON.stringify(sealPersonal(normalised))}::jsonb,
          explanation = ${JSON.stringify(sealPersonal(explain(decision, face.liveness, enriched?.contributions ?? [])))}::jsonb,
          decision_rule = ${decision.explanation.rule},
          model_version = ${ctx.model.version},
          errors = ${parsed.warnings.length > 0 ? JSON.stringify(parsed.warnings) : null}::jsonb,
          quality = ${JSON.stringify(fieldQuality(parsed.record, normalised))}::jsonb,
          decided_at = clock_timestamp()
        where id = ${message.recordId}`,
      );
      return outcome(status, goldenId);
    });
  } catch (error) {
    // Another record id already holds this (source, external_id): the same record, resubmitted.
    if (error instanceof DuplicateExternalIdError) return outcome('rejected', null, true);
    throw error;
  }
  if (parsed.ok) await completeEnrolment(ctx.db, biometrics, result, face.kind === 'searched', parsed.record);
  // The commit and the enrolment finish persisting; rejected records end here too.
  clock.lap('persist');
  return result;
}

async function rejectRecord(
  trx: Db,
  recordId: string,
  rule: string,
  errors: Array<{ field: string; message: string }>,
  explanation?: Record<string, unknown>,
) {
  await trx
    .updateTable('records')
    .set({
      status: 'rejected',
      decision_rule: rule,
      errors: JSON.stringify(errors) as never,
      ...(explanation ? { explanation: JSON.stringify(explanation) as never } : {}),
      decided_at: sql`clock_timestamp()`,
    })
    .where('id', '=', recordId)
    .execute();
}

/** Adds the decision's writes to the set; the only read it may need is the golden record it links to. */
async function planDecision(
  trx: Db,
  writes: WriteSet,
  recordId: string,
  record: CanonicalRecord,
  decision: Decision,
): Promise<{ status: RecordStatus; goldenId: string | null }> {
  switch (decision.kind) {
    case 'new':
      return { status: 'new', goldenId: createGoldenRecord(writes, recordId, record) };
    case 'link': {
      const golden = await lockGoldenRecord(trx, decision.goldenId);
      // The member this record matched was erased between the candidate read and this lock.
      const matched = decision.recordId;
      if (!golden.memberIds.includes(matched)) {
        const erased = await trx
          .selectFrom('records')
          .select('erased_at')
          .where('id', '=', matched)
          .executeTakeFirst();
        if (erased?.erased_at) {
          throw new GoldenRecordErasedError(
            `record ${matched} was erased while a record was being decided against it`,
          );
        }
      }
      linkToGoldenRecord(writes, golden, recordId, record, decision.score);
      if (decision.mergeProposal) {
        addMergeProposal(writes, recordId, decision.mergeProposal, decision.explanation.candidates);
      }
      return { status: 'linked', goldenId: golden.id };
    }
    case 'review': {
      const caseId = randomUUID();
      writes
        .add(insertReviewCase(caseId, recordId, decision.reviewKind, decision.score))
        .add(insertReviewCandidates(caseId, reviewCandidatesOf(decision)))
        .add(insertAuditEntries([reviewOpenedAudit(caseId, recordId, decision)]));
      return { status: 'review', goldenId: null };
    }
  }
}
