import { randomUUID } from 'node:crypto';
import type { CandidateScore, MergeProposal } from '@nexus/matching';
import { ENGINE_ACTOR, type AuditEntry } from './audit';
import {
  insertMergeProposal,
  insertProposalAudit,
  insertProposalCandidates,
  type WriteSet,
} from './writeSet';

/** The part of the write set that returns the proposal's case id, when it is a new proposal. */
const PROPOSAL = 'merge_proposal';

/** One proposal per set of golden records, whatever the order the engine met them in. */
export function proposalKey(goldenIds: readonly string[]): string {
  return [...new Set(goldenIds)].sort().join(',');
}

/**
 * Adds to a link's writes the proposal that the golden records it matched above the link
 * threshold are one person (docs/decisions/0021-merge-proposals-of-golden-records.md): an open
 * `merge_proposal` case with no record, the golden records as its candidates, resolved through
 * the review API like any case (`merge`, or `reject` to keep them apart). A set already
 * proposed, open or resolved, is not proposed again.
 */
export function addMergeProposal(
  writes: WriteSet,
  recordId: string,
  proposal: MergeProposal,
  scores: readonly CandidateScore[],
): void {
  const opened = proposalOpened(recordId, proposal);
  writes
    .add(insertMergeProposal(randomUUID(), proposalKey(proposal.goldenIds), proposal.score), PROPOSAL)
    .add(insertProposalCandidates(PROPOSAL, proposalCandidates(recordId, proposal, scores)))
    .add(insertProposalAudit(PROPOSAL, opened));
}

/** The golden records of a proposal, each with its score and which member the record matched best. */
export function proposalCandidates(
  recordId: string,
  proposal: MergeProposal,
  scores: readonly CandidateScore[],
) {
  const byGolden = new Map(scores.map((s) => [s.goldenId, s]));
  return proposal.goldenIds.map((goldenId) => ({
    goldenId,
    score: byGolden.get(goldenId)?.score ?? proposal.score,
    // The record that matched them all, and which member of each it matched best.
    explanation: { bridgingRecord: recordId, bestMember: byGolden.get(goldenId)?.recordId ?? null },
  }));
}

/** The proposal's `review_case.opened` entry, less the case id (known once the case is written). */
export function proposalOpened(recordId: string, proposal: MergeProposal): Omit<AuditEntry, 'entity_id'> {
  return {
    actor: ENGINE_ACTOR,
    action: 'review_case.opened',
    entity_type: 'review_case',
    record_id: recordId,
    before: null,
    after: {
      kind: 'merge_proposal',
      candidates: proposal.goldenIds,
      score: proposal.score,
      bridgingRecord: recordId,
    },
  };
}
