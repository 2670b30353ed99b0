import { loadActiveModel, type Db } from '@nexus/actors';
import { comparePair, normaliseRecord, type Explanation, type FieldScore } from '@nexus/matching';
import type { CanonicalRecord } from '@nexus/schema';

export interface CandidateComparison {
  /** Field by field, in the model's order: the comparison level and its weight. */
  fields: FieldScore[];
  /**
   * `decision`: the levels the engine decided on (the explanation's focus candidate);
   * `active_model`: the same comparison run now with the active model, for the other candidates,
   * whose field levels the decision does not keep.
   */
  from: 'decision' | 'active_model';
}

interface CandidateRef {
  goldenId: string;
  bestMemberId: string | null;
  members: Array<{ recordId: string; payload: Record<string, unknown> }>;
}

/** The member the decision compared with, else the first member shown. */
function comparedMember(c: CandidateRef) {
  return c.members.find((m) => m.recordId === c.bestMemberId) ?? c.members[0];
}

/**
 * What reviewers see coloured cell by cell: the incoming record against each candidate's best
 * member. The decision's own levels where it kept them, so the colours never contradict the
 * waterfall; the matching core (not a copy of it) for the rest.
 */
export async function candidateComparisons(
  db: Db,
  payload: Record<string, unknown> | null,
  explanation: Explanation | undefined,
  candidates: CandidateRef[],
): Promise<Map<string, CandidateComparison>> {
  const out = new Map<string, CandidateComparison>();
  // A merge proposal has no record: its golden records are compared with the first of them.
  const reference = payload ?? (candidates[0] ? comparedMember(candidates[0])?.payload : undefined);
  if (!reference) return out;
  const focus = explanation?.candidates.find((c) => c.score === explanation.total);
  let model: Awaited<ReturnType<typeof loadActiveModel>> | undefined;
  for (const c of payload ? candidates : candidates.slice(1)) {
    if (payload && explanation && focus?.goldenId === c.goldenId && explanation.fields.length > 0) {
      out.set(c.goldenId, { fields: explanation.fields, from: 'decision' });
      continue;
    }
    const member = comparedMember(c);
    if (!member) continue;
    model ??= await loadActiveModel(db);
    const pair = comparePair(
      normaliseRecord(reference as unknown as CanonicalRecord),
      normaliseRecord(member.payload as unknown as CanonicalRecord),
      model.params,
      model.tf,
    );
    out.set(c.goldenId, { fields: pair.fields, from: 'active_model' });
  }
  return out;
}
