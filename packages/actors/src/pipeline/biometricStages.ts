import type { CanonicalRecord } from '@nexus/schema';

export interface LivenessResult {
  checked: boolean;
  live: boolean;
  score: number | null;
  reason: string;
  /** Capture quality (0..1) and the liveness threshold, when T5-LDS answered. */
  quality?: number;
  threshold?: number;
}

/** The answer of a 1:N face search: the ABIS candidates, best first. */
export interface BiometricSearch {
  targetFPIR: number;
  matches: Array<{ referenceId: string; scaledScore: number; internalScore: number }>;
  /**
   * A database time read before a search sent ahead of its record's decision
   * (prefetchingBiometrics.ts); unset: the search was sent after the decision's own reading.
   */
  searchedAfter?: Date;
}

/**
 * The Tech5 stages of the pipeline (pipeline/tech5Biometrics.ts). Liveness comes first and a
 * record that fails it is rejected without a search (invariant 4); a live face is searched 1:N
 * before the decision, and enrolled once the decision has committed.
 */
export interface BiometricStages {
  checkLiveness(record: CanonicalRecord): Promise<LivenessResult>;
  /** 1:N search of the record's (live) face; null when the record has no face. */
  identify(record: CanonicalRecord): Promise<BiometricSearch | null>;
  /**
   * The record's face against these references only (one person's enrolled faces): a search of
   * a gallery of a few, whose threshold is that of a 1:1 comparison, not of a search among
   * everyone (docs/decisions/0052-dates-of-birth-years-apart-in-one-household.md, "Faces").
   */
  verify(record: CanonicalRecord, referenceIds: readonly string[]): Promise<BiometricSearch | null>;
  /** Enrols the record's face as reference `referenceId`; done already counts as done. */
  enrol(referenceId: string, record: CanonicalRecord): Promise<void>;
}

/**
 * What a search among references of which only some count returns: the FPIR of a search among
 * the `eligible` ones (a threshold set for `searched` would be stricter), and `extra` more
 * candidates, for the ones that do not count and will be dropped.
 */
export interface SearchScope {
  searched: number;
  eligible: number;
  extra: number;
}

/**
 * The Tech5 calls a micro-batch of records with faces needs
 * (docs/decisions/0055-faces-in-the-micro-batch-path.md): its live faces enter ABIS before its
 * searches, so a record finds the face of a record before it in the same batch.
 */
export interface BatchFaceStages extends BiometricStages {
  /** Inserts the face under `referenceId` before its decision; one there already counts as done. */
  insertAhead(referenceId: string, record: CanonicalRecord): Promise<void>;
  /** Removes a reference; one not there counts as done. */
  remove(referenceId: string): Promise<void>;
  referenceCount(): Promise<number>;
  /**
   * The 1:N search of a face inserted ahead (MOSIP identify by reference id: ABIS leaves the
   * reference itself out), within a scope; `limit` is how many candidates count once the others
   * are dropped.
   */
  identifyInserted(referenceId: string, scope: SearchScope): Promise<BiometricSearch & { limit: number }>;
}

export function supportsBatchFaces(stages: BiometricStages | undefined): stages is BatchFaceStages {
  return stages !== undefined && 'insertAhead' in stages && 'identifyInserted' in stages;
}

/** Without Tech5 configured: every record counts as live, nothing is searched or enrolled. */
export const noBiometrics: BiometricStages = {
  checkLiveness: () =>
    Promise.resolve({ checked: false, live: true, score: null, reason: 'no biometric stage' }),
  identify: () => Promise.resolve(null),
  verify: () => Promise.resolve(null),
  enrol: () => Promise.resolve(),
};
