import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import {
  isTerminalRecordStatus,
  parseCanonicalRecord,
  type RawRecordMessage,
  type RecordStatus,
} from '@nexus/schema';
import type { Db } from '../../db/database';
import { noEnrichment, type Contribution } from '../../enrichment';
import {
  blockingKeys,
  decideRecord,
  normaliseRecord,
  type BiometricEvidence,
  type NormalisedRecord,
} from '@nexus/matching';
import { lockBlockingKeys } from '../../goldenRecords';
import { noBiometrics, supportsBatchFaces, type LivenessResult } from '../biometricStages';
import { completeEnrolment } from '../faceEnrolment';
import { verifyFaceConflict } from '../faceEvidence';
import type { PipelineContext, RecordDecided } from '../decideRecordMessage';
import { explain, reviewCandidatesOf, reviewOpenedAudit } from '../decisionRows';
import { fieldQuality } from '../fieldQuality';
import { addMergeProposal } from '../mergeProposals';
import { StageClock, type StageTimings } from '../stageClock';
import { WriteSet } from '../writeSet';
import { BatchFaces } from './batchFaces';
import { BatchWrites } from './batchWrites';
import { CandidatePool } from './candidatePool';
import { claimRecordRows } from './claimRecordRows';
import { GoldenLedger } from './goldenLedger';

/**
 * Whether a record may be decided in a micro-batch. A candidate search that cannot answer a whole
 * batch at once reads per record, so its records take the one-record path
 * (decideRecordMessage.ts); one that can (Elasticsearch's _msearch, docs/decisions/0056) batches
 * records without a face. A record with a face does when candidates come from Postgres, the
 * worker turned face batches on and its Tech5 stages can run them
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md).
 */
export function batchable(ctx: PipelineContext, message: RawRecordMessage): boolean {
  if (ctx.candidates !== undefined)
    return ctx.candidates.prefetchBatch !== undefined && !message.record.face_image;
  return !message.record.face_image || (ctx.faceBatch !== undefined && supportsBatchFaces(ctx.biometrics));
}

interface Prepared {
  message: RawRecordMessage;
  parsed: ReturnType<typeof parseCanonicalRecord>;
  normalised: NormalisedRecord | null;
  contributions: Contribution[];
  keys: string[];
  liveness: LivenessResult | null;
}

type Decided = Omit<RecordDecided, 'stages'>;

/** The search index's answers for the batch, asked before its transaction: hits per record and the sync point. */
interface BatchIndexHits {
  since: string;
  hits: Map<Prepared, string[]>;
}

/**
 * Decides a micro-batch of one partition's records, in offset order, in ONE transaction
 * (docs/decisions/0046-batched-decision-path.md): claim all rows (1 statement), lock the union
 * of their blocking keys in one global order (1), read the candidates of all of them (2), decide
 * them in order in memory, each seeing the decisions before it, lock the golden records they
 * link to and read their members (2), and write everything (1, plus one per merge proposal).
 * One commit for the batch. Throws on any failure, having written nothing; the caller then
 * decides the records one at a time, which blames a failure on the right record.
 */
export async function decideRecordBatch(
  ctx: PipelineContext,
  partition: number,
  messages: readonly RawRecordMessage[],
): Promise<RecordDecided[]> {
  const clock = new StageClock();
  const biometrics = ctx.biometrics ?? noBiometrics;
  const batchStages = supportsBatchFaces(ctx.biometrics) ? ctx.biometrics : undefined;
  const prepared = await Promise.all(messages.map((m) => prepare(ctx, m, batchStages !== undefined)));
  clock.lap('validate');
  const withFace = prepared.flatMap((p) =>
    p.parsed.ok && p.parsed.record.face_image
      ? [{ recordId: p.message.recordId, record: p.parsed.record }]
      : [],
  );
  // The Tech5 waves: liveness, the live faces into ABIS, their searches (batchFaces.ts).
  const faces =
    batchStages && withFace.length > 0
      ? await BatchFaces.run(ctx.db, batchStages, withFace, ctx.faceBatch?.concurrency ?? 1)
      : undefined;
  if (faces) {
    for (const p of prepared) p.liveness = faces.faces.get(p.message.recordId)?.liveness ?? p.liveness;
    clock.lap('biometric_search');
  }
  // A search index is asked for the whole batch before the transaction, so no lock waits on it
  // (docs/decisions/0056); without an answer the batch's candidates come from Postgres alone.
  const searched = prepared.flatMap((p) => (p.normalised === null ? [] : [{ p, normalised: p.normalised }]));
  const answers = await ctx.candidates?.prefetchBatch?.(
    ctx.db,
    searched.map((s) => s.normalised),
  );
  const index: BatchIndexHits | undefined = answers && {
    since: answers.since,
    hits: new Map(searched.map((s, i) => [s.p, answers.hits[i] ?? []])),
  };
  if (ctx.candidates?.prefetchBatch) clock.lap('candidates');
  let decided: Map<string, Decided>;
  try {
    decided = await ctx.db
      .transaction()
      .execute((trx) => decideInTransaction(trx, ctx, partition, messages, prepared, faces, index, clock));
  } catch (error) {
    // Nothing was written: the faces inserted ahead leave ABIS before the records go one at a time.
    await faces?.release(ctx.db).catch(() => undefined);
    throw error;
  }
  clock.lap('persist');
  if (faces) await faces.release(ctx.db);
  // A redelivered record whose face enrolment the one-record path left pending finishes it.
  for (const p of prepared) {
    const result = decided.get(p.message.recordId);
    if (result?.replayed && p.parsed.ok && p.parsed.record.face_image)
      await completeEnrolment(ctx.db, biometrics, { ...result }, false, p.parsed.record);
  }
  clock.lap('persist');
  // Each record is charged its share of the batch's time, so the stages still add up.
  const share = Object.fromEntries(
    Object.entries(clock.timings).map(([stage, ms]) => [stage, ms / messages.length]),
  ) as StageTimings;
  return messages.map((m) => {
    const result = decided.get(m.recordId);
    if (!result) throw new Error(`record ${m.recordId} was not decided by its batch`);
    return { ...result, stages: share };
  });
}

/**
 * The batch's one transaction: claim, lock, read the candidates, decide in offset order in
 * memory (with the face evidence of the waves), write everything.
 */
async function decideInTransaction(
  trx: Db,
  ctx: PipelineContext,
  partition: number,
  messages: readonly RawRecordMessage[],
  prepared: readonly Prepared[],
  faces: BatchFaces | undefined,
  index: BatchIndexHits | undefined,
  clock: StageClock,
): Promise<Map<string, Decided>> {
  const biometrics = ctx.biometrics ?? noBiometrics;
  const statuses = await claimRecordRows(trx, partition, messages);
  clock.lap('persist');
  const results = new Map<string, Decided>();
  const open: Prepared[] = [];
  for (const p of prepared) {
    const status = statuses.get(p.message.recordId);
    if (status !== undefined && isTerminalRecordStatus(status)) {
      results.set(p.message.recordId, {
        recordId: p.message.recordId,
        status,
        goldenId: null,
        replayed: true,
      });
    } else {
      open.push(p);
    }
  }
  const valid = open.filter((p) => p.normalised !== null);
  await lockBlockingKeys(
    trx,
    valid.flatMap((p) => p.keys),
  );
  const pool = await CandidatePool.load<NormalisedRecord>(
    trx,
    valid.map((p) => p.keys),
    index && { since: index.since, hits: valid.map((p) => index.hits.get(p) ?? []) },
  );
  clock.lap('candidates');
  const writes = new BatchWrites();
  const ledger = new GoldenLedger();
  const proposals: WriteSet[] = [];
  for (const p of open) {
    const { recordId } = p.message;
    if (!p.parsed.ok || !p.normalised) {
      writes.rejected.push({
        id: recordId,
        decision_rule: 'invalid_record',
        errors: p.parsed.ok ? [] : p.parsed.errors,
        explanation: null,
        ord: open.indexOf(p),
      });
      results.set(recordId, { recordId, status: 'rejected', goldenId: null, replayed: false });
      continue;
    }
    if (p.liveness && !p.liveness.live) {
      writes.rejected.push({
        id: recordId,
        decision_rule: 'liveness_failed',
        errors: [{ field: 'face_image', message: p.liveness.reason }],
        explanation: { liveness: p.liveness },
        ord: open.indexOf(p),
      });
      results.set(recordId, { recordId, status: 'rejected', goldenId: null, replayed: false });
      continue;
    }
    const candidates = await pool.candidatesFor(p.keys, index?.hits.get(p));
    const face = faces ? await faces.evidence(trx, recordId, candidates, pool) : null;
    const normalised = p.normalised;
    const decide = (evidence: BiometricEvidence | undefined) =>
      decideRecord(
        normalised,
        face ? [...candidates, ...face.extra] : candidates,
        ctx.model.params,
        ctx.model.policy,
        ctx.model.tf,
        evidence,
      );
    let decision = decide(face?.evidence);
    // As on the one-record path, inside the transaction: it needs the decision (ADR 0055).
    const verified =
      face && faces
        ? await verifyFaceConflict(
            trx,
            biometrics,
            p.parsed.record,
            decision,
            face.evidence,
            faces.since,
            (goldenId) => faces.gallery(goldenId),
          )
        : null;
    if (verified) decision = decide(verified);
    let goldenId: string | null = null;
    if (decision.kind === 'new') {
      goldenId = ledger.create(recordId, p.parsed.record);
    } else if (decision.kind === 'link') {
      goldenId = decision.goldenId;
      ledger.link(goldenId, recordId, p.parsed.record, decision.recordId, decision.score);
      if (decision.mergeProposal) {
        const proposal = new WriteSet();
        addMergeProposal(proposal, recordId, decision.mergeProposal, decision.explanation.candidates);
        proposals.push(proposal);
      }
    } else {
      const caseId = randomUUID();
      writes.reviewCases.push({
        id: caseId,
        record_id: recordId,
        kind: decision.reviewKind,
        score: decision.score,
      });
      for (const c of reviewCandidatesOf(decision)) {
        writes.reviewCandidates.push({
          case_id: caseId,
          golden_id: c.goldenId,
          score: c.score,
          explanation: c.explanation,
        });
      }
      writes.audit.push(reviewOpenedAudit(caseId, recordId, decision));
    }
    const status: RecordStatus = decision.kind === 'link' ? 'linked' : decision.kind;
    if (goldenId !== null && faces?.isSearched(recordId)) {
      faces.joined(recordId, goldenId);
      // Its face is in ABIS already (inserted before the searches), so it counts from the commit.
      writes.biometricReferences.push({ reference_id: recordId, golden_id: goldenId });
    }
    pool.add(recordId, p.keys, goldenId, p.normalised, decision.kind === 'new');
    for (const key of new Set(p.keys)) writes.blockingKeys.push({ record_id: recordId, key });
    writes.decided.push({
      id: recordId,
      status,
      normalised: p.normalised,
      explanation: explain(decision, p.liveness, p.contributions),
      decision_rule: decision.explanation.rule,
      model_version: ctx.model.version,
      errors: p.parsed.warnings.length > 0 ? p.parsed.warnings : null,
      quality: fieldQuality(p.parsed.record, p.normalised),
      ord: open.indexOf(p),
    });
    results.set(recordId, { recordId, status, goldenId, replayed: false });
  }
  clock.lap('decide');
  await ledger.apply(trx, writes);
  await writes.execute(trx);
  // After the golden records they name exist; a set proposed before writes nothing.
  for (const proposal of proposals) await proposal.execute(trx, sql`select 1`);
  return results;
}

/** Validate, normalise, enrich and key a record: everything that needs no database. */
async function prepare(
  ctx: PipelineContext,
  message: RawRecordMessage,
  faceWaves: boolean,
): Promise<Prepared> {
  const parsed = parseCanonicalRecord(message.record, { source: message.source });
  if (!parsed.ok) return { message, parsed, normalised: null, contributions: [], keys: [], liveness: null };
  const plain = normaliseRecord(parsed.record, { defaultCountry: ctx.defaultCountry });
  const enriched = await (ctx.enrichment ?? noEnrichment).enrich(parsed.record, plain);
  // Without a face this answers at once; it is what the explanation stores (as on the one-record
  // path). A face's liveness comes from the batch's first wave.
  const liveness =
    faceWaves && parsed.record.face_image
      ? null
      : await (ctx.biometrics ?? noBiometrics).checkLiveness(parsed.record);
  return {
    message,
    parsed,
    normalised: enriched.normalised,
    contributions: enriched.contributions,
    keys: blockingKeys(enriched.normalised),
    liveness,
  };
}
