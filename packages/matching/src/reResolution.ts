/**
 * Re-resolution: when golden records are joined (a reviewer's merge, a merge proposal accepted),
 * their members are compared with one another again, so the audit entry of the join says how
 * well they hold together: the direct evidence between the joined golden records (their best
 * member pair, which the bridging record only implied) and the members that match no other
 * member at the link threshold, for a reviewer to look at (and split if they do not belong).
 */
import { comparePair } from './comparePair';
import type { DecisionPolicy } from './decide';
import type { MatchModel, TermFrequencies } from './model';
import type { NormalisedRecord } from './normaliseRecord';

export interface JoinedGolden {
  goldenId: string;
  members: ReadonlyArray<{ recordId: string; normalised: NormalisedRecord }>;
}

export interface MemberFit {
  recordId: string;
  /** The golden record it belonged to before the join. */
  from: string;
  /** Its best score (log2 odds) against any other member, and that member; null when alone. */
  bestScore: number | null;
  bestWith: string | null;
}

export interface ReResolution {
  modelVersion: string;
  /** The best score between members of different joined golden records, and that pair. */
  crossScore: number | null;
  crossPair: [string, string] | null;
  /** Members whose best score against every other member is below the link threshold. */
  doubtful: string[];
  members: MemberFit[];
}

/** Members compared at most: a join of huge golden records is compared on its oldest members. */
export const MAX_COMPARED_MEMBERS = 200;

export function reResolve(
  joined: readonly JoinedGolden[],
  model: MatchModel,
  policy: DecisionPolicy,
  tf?: TermFrequencies,
): ReResolution {
  const members = joined
    .flatMap((g) => g.members.map((m) => ({ ...m, from: g.goldenId })))
    .slice(0, MAX_COMPARED_MEMBERS);
  const compared = members.map((m) => {
    const fit: MemberFit = { recordId: m.recordId, from: m.from, bestScore: null, bestWith: null };
    return { ...m, fit };
  });
  let crossScore: number | null = null;
  let crossPair: [string, string] | null = null;
  for (const [i, a] of compared.entries()) {
    for (const b of compared.slice(i + 1)) {
      const score = comparePair(a.normalised, b.normalised, model, tf).total;
      for (const [fit, other] of [
        [a.fit, b.recordId],
        [b.fit, a.recordId],
      ] as const) {
        if (fit.bestScore === null || score > fit.bestScore) {
          fit.bestScore = score;
          fit.bestWith = other;
        }
      }
      if (a.from !== b.from && (crossScore === null || score > crossScore)) {
        crossScore = score;
        crossPair = [a.recordId, b.recordId];
      }
    }
  }
  const fits = compared.map((c) => c.fit);
  const doubtful = fits
    .filter((f) => f.bestScore !== null && f.bestScore < policy.linkThreshold)
    .map((f) => f.recordId);
  return { modelVersion: model.version, crossScore, crossPair, doubtful, members: fits };
}
