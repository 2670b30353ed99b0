/**
 * Inside the decision's transaction: turns the ABIS answer into face evidence per golden record,
 * and brings in the golden records that only the face search found (the demographics missed
 * them: exactly the case a reviewer must see when the face matches strongly).
 */
import type { CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import {
  biometricEvidence,
  matchWeight,
  type BiometricEvidence,
  type CandidateGolden,
  type Decision,
  type GoldenBiometric,
} from '@nexus/matching';
import {
  enrolledReferences,
  goldenWithEnrolledFaces,
  loadGoldenCandidates,
  mapHitsToGolden,
} from './biometricReferences';
import type { BiometricSearch, BiometricStages } from './biometricStages';

/**
 * `searchedAfter` is a database time taken before the search began: a golden record whose face
 * was enrolled (in ABIS) before then, and not returned, did not match. Faces enrolled later
 * (a twin decided at the same moment) say nothing either way. A search sent ahead of the
 * decision carries its own, earlier time, which then counts.
 */
export async function faceEvidence(
  trx: Db,
  search: BiometricSearch,
  candidates: ReadonlyArray<{ goldenId: string }>,
  searchedAfter: Date,
): Promise<{ evidence: BiometricEvidence; extra: CandidateGolden[] }> {
  const hits = await mapHitsToGolden(trx, search.matches);
  const known = new Set(candidates.map((c) => c.goldenId));
  const missing = [
    ...new Set(hits.map((h) => h.goldenId).filter((id): id is string => id !== null && !known.has(id))),
  ];
  const extra = await loadGoldenCandidates(trx, missing);
  const sent =
    search.searchedAfter && search.searchedAfter < searchedAfter ? search.searchedAfter : searchedAfter;
  const enrolled = await goldenWithEnrolledFaces(trx, [...known, ...extra.map((e) => e.goldenId)], sent);
  return { evidence: biometricEvidence(hits, enrolled), extra };
}

/**
 * A biometric conflict because a golden record's enrolled face was not returned by the 1:N search:
 * that search's threshold is set for a search among everyone, and a poor capture of the same
 * person falls below it. Asked again against that golden record's own faces only (a 1:1
 * threshold), a returned face is a match weighed by its score, as any match is; a face not
 * returned even then stays a no-match, and the conflict stands. Returns the evidence with those
 * answers, or null when there was nothing to verify.
 */
export async function verifyFaceConflict(
  trx: Db,
  biometrics: BiometricStages,
  record: CanonicalRecord,
  decision: Decision,
  evidence: BiometricEvidence,
  searchedAfter: Date,
  /** Faces a micro-batch put in ABIS for a golden record, not yet in biometric_references (ADR 0055). */
  batchGallery?: (goldenId: string) => readonly string[],
): Promise<BiometricEvidence | null> {
  if (decision.kind !== 'review' || decision.reviewKind !== 'biometric_conflict') return null;
  const unmatched = decision.goldenIds.filter((id) => evidence.byGolden.get(id)?.level === 'no_match');
  const galleries = await enrolledReferences(trx, unmatched, searchedAfter);
  for (const id of unmatched) {
    const more = batchGallery?.(id) ?? [];
    if (more.length > 0) galleries.set(id, [...(galleries.get(id) ?? []), ...more].sort());
  }
  const byGolden = new Map(evidence.byGolden);
  let changed = false;
  for (const [goldenId, referenceIds] of galleries) {
    const best = (await biometrics.verify(record, referenceIds))?.matches.reduce<
      BiometricSearch['matches'][number] | undefined
    >((a, m) => (a === undefined || m.scaledScore > a.scaledScore ? m : a), undefined);
    if (best === undefined) continue;
    const verified: GoldenBiometric = {
      level: 'match',
      weight: matchWeight(best.scaledScore, evidence.policy),
      referenceId: best.referenceId,
      scaledScore: best.scaledScore,
      verified: true,
    };
    byGolden.set(goldenId, verified);
    changed = true;
  }
  return changed ? { ...evidence, byGolden } : null;
}
