import { randomUUID } from 'node:crypto';
import type { CandidateScore, MergeProposal } from '../matching';
import { ENGINE_ACTOR } from './audit';
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
  const byGolden = new Map(scores.map((s) => [s.goldenId, s]));
  const candidates = proposal.goldenIds.map((goldenId) => ({
    goldenId,
    score: byGolden.get(goldenId)?.score ?? proposal.score,
    // The record that matched them all, and which member of each it matched best.
    explanation: { bridgingRecord: recordId, bestMember: byGolden.get(goldenId)?.recordId ?? null },
  }));
  writes
    .add(insertMergeProposal(randomUUID(), proposalKey(proposal.goldenIds), proposal.score), PROPOSAL)
    .add(insertProposalCandidates(PROPOSAL, candidates))
    .add(
      insertProposalAudit(PROPOSAL, {
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
      }),
    );
}
