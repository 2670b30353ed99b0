import type { CanonicalRecord } from '@nexus/schema';
import type { Db } from '../db/database';
import type { BiometricSearch, BiometricStages, LivenessResult } from './biometricStages';
import { priorDecision } from './faceEnrolment';
import type { StageClock } from './stageClock';

/**
 * Where a record's face stands when its decision's transaction opens: one value, where there
 * were four nullables that had to agree (decided before? checked? live? searched?).
 */
export type FaceStages =
  /** No face, a face decided before (a redelivery skips Tech5), or no biometric stage that searched. */
  | { kind: 'unsearched'; liveness: LivenessResult | null }
  /** The face failed liveness: the record is rejected and never searched (invariant 4). */
  | { kind: 'spoof'; liveness: LivenessResult }
  /** A live face searched 1:N; its hits count against references enrolled before `since`. */
  | { kind: 'searched'; liveness: LivenessResult; search: BiometricSearch; since: Date };

/**
 * Liveness first, then the 1:N search for a live face only. A record without a face still asks
 * for liveness (the stage says it has nothing to check); one already decided skips Tech5.
 */
export async function runFaceStages(
  db: Db,
  biometrics: BiometricStages,
  recordId: string,
  record: CanonicalRecord | null,
  clock: StageClock,
): Promise<FaceStages> {
  const prior = record?.face_image ? await priorDecision(db, recordId) : null;
  const undecidedFace = prior !== null && !prior.decided ? prior : null;
  const liveness =
    record && (undecidedFace || !record.face_image) ? await biometrics.checkLiveness(record) : null;
  if (liveness?.checked) clock.lap('liveness');
  else clock.skip();
  if (liveness && !liveness.live) return { kind: 'spoof', liveness };
  const search = record && liveness && undecidedFace ? await biometrics.identify(record) : null;
  if (!search || !liveness || !undecidedFace) return { kind: 'unsearched', liveness };
  clock.lap('biometric_search');
  return { kind: 'searched', liveness, search, since: undecidedFace.at };
}
