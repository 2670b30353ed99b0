/**
 * Inside the decision's transaction: turns the ABIS answer into face evidence per golden record,
 * and brings in the golden records that only the face search found (the demographics missed
 * them: exactly the case a reviewer must see when the face matches strongly).
 */
import type { Db } from '../db/database';
import { biometricEvidence, type BiometricEvidence, type CandidateGolden } from '../matching';
import { goldenWithEnrolledFaces, loadGoldenCandidates, mapHitsToGolden } from './biometricReferences';
import type { BiometricSearch } from './biometricStages';

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
