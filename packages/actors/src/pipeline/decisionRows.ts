import type { Contribution } from '../enrichment';
import type { Decision } from '@nexus/matching';
import { ENGINE_ACTOR, type AuditEntry } from './audit';
import type { LivenessResult } from './biometricStages';

type ReviewDecision = Extract<Decision, { kind: 'review' }>;

/**
 * What a decision writes besides the golden record, built the same way by the one-record path
 * (decideRecordMessage.ts) and the micro-batch path (batch/decideRecordBatch.ts), so both store
 * the same explanation and the same case for the same decision.
 */
export function explain(decision: Decision, liveness: LivenessResult | null, enrichment: Contribution[]) {
  return { ...decision.explanation, liveness, ...(enrichment.length > 0 ? { enrichment } : {}) };
}

/** The golden records of a review case, each with its score and the member it matched best. */
export function reviewCandidatesOf(decision: ReviewDecision) {
  const scores = new Map(decision.explanation.candidates.map((c) => [c.goldenId, c]));
  return decision.goldenIds.map((goldenId) => ({
    goldenId,
    score: scores.get(goldenId)?.score ?? decision.score,
    explanation: {
      bestMember: scores.get(goldenId)?.recordId ?? null,
      ...faceOf(scores.get(goldenId)),
    },
  }));
}

export function reviewOpenedAudit(caseId: string, recordId: string, decision: ReviewDecision): AuditEntry {
  return {
    actor: ENGINE_ACTOR,
    action: 'review_case.opened',
    entity_type: 'review_case',
    entity_id: caseId,
    record_id: recordId,
    before: null,
    after: { kind: decision.reviewKind, candidates: decision.goldenIds, score: decision.score },
  };
}

/** The demographic and face parts of a candidate's score, when the face was searched. */
function faceOf(score: { demographic?: number; biometric?: unknown } | undefined) {
  return score?.biometric ? { demographic: score.demographic, biometric: score.biometric } : {};
}
