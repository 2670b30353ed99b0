/**
 * Face evidence as one more Bayes factor. ABIS reports each candidate's scaled score s =
 * -10·log10(FMR): the false match rate at that score. The weight of a match is
 * log2(P(score >= s | same person) / P(score >= s | different people)) = log2(TAR / FMR), with
 * TAR (the share of true pairs scoring that well) taken as 0.98; capped, because no single
 * comparison is beyond doubt. A golden record whose face is enrolled but was not returned is
 * evidence against: log2(FNMR / (1 - FMR)), the chance a true pair is missed at the search's
 * threshold over the chance an impostor pair is.
 */

export interface BiometricPolicy {
  /** Share of true pairs that score at or above a returned candidate's score. */
  trueAcceptRate: number;
  /** Largest weight one face comparison may add, in bits. */
  maxWeight: number;
  /** Weight when an enrolled face of the golden record was not among the candidates. */
  noMatchWeight: number;
  /** A match at least this strong (bits) that the demographics contradict goes to review. */
  strongMatchWeight: number;
}

export const DEFAULT_BIOMETRIC_POLICY: BiometricPolicy = {
  trueAcceptRate: 0.98,
  maxWeight: 25,
  noMatchWeight: Math.log2(0.05),
  strongMatchWeight: 15,
};

export type BiometricLevel = 'match' | 'no_match';

/** The face evidence about one golden record. */
export interface GoldenBiometric {
  level: BiometricLevel;
  weight: number;
  /** The best of the golden record's references (match only). */
  referenceId: string | null;
  scaledScore: number | null;
  /** The match came from verifying the face against this golden record's own faces, not the 1:N search. */
  verified?: boolean;
}

/** An ABIS candidate, mapped to the golden record its reference belongs to now (after merges). */
export interface BiometricHit {
  referenceId: string;
  goldenId: string | null;
  scaledScore: number;
  internalScore: number;
}

export interface BiometricEvidence {
  policy: BiometricPolicy;
  /** Every candidate ABIS returned, best first. */
  hits: BiometricHit[];
  /** Golden id -> evidence; golden records with no enrolled face have none. */
  byGolden: Map<string, GoldenBiometric>;
}

export function matchWeight(scaledScore: number, policy: BiometricPolicy = DEFAULT_BIOMETRIC_POLICY): number {
  const log2Fmr = -(scaledScore / 10) * Math.log2(10);
  return Math.min(policy.maxWeight, Math.max(0, Math.log2(policy.trueAcceptRate) - log2Fmr));
}

/**
 * Evidence per golden record: the best hit among its references, or a no-match for golden records
 * known to have an enrolled face (`enrolled`) that no hit points to.
 */
export function biometricEvidence(
  hits: readonly BiometricHit[],
  enrolled: Iterable<string>,
  policy: BiometricPolicy = DEFAULT_BIOMETRIC_POLICY,
): BiometricEvidence {
  const byGolden = new Map<string, GoldenBiometric>();
  const sorted = [...hits].sort((a, b) => b.scaledScore - a.scaledScore);
  for (const hit of sorted) {
    if (hit.goldenId === null || byGolden.has(hit.goldenId)) continue;
    byGolden.set(hit.goldenId, {
      level: 'match',
      weight: matchWeight(hit.scaledScore, policy),
      referenceId: hit.referenceId,
      scaledScore: hit.scaledScore,
    });
  }
  for (const goldenId of enrolled) {
    if (!byGolden.has(goldenId)) {
      byGolden.set(goldenId, {
        level: 'no_match',
        weight: policy.noMatchWeight,
        referenceId: null,
        scaledScore: null,
      });
    }
  }
  return { policy, hits: sorted, byGolden };
}
