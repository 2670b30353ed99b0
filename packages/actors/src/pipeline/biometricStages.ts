import type { CanonicalRecord } from '@nexus/schema';

export interface LivenessResult {
  checked: boolean;
  live: boolean;
  score: number | null;
  reason: string;
}

/**
 * The Tech5 stages of the pipeline. Until the biometrics issue lands they are no-ops: every record
 * counts as live and nothing is enrolled.
 */
export interface BiometricStages {
  checkLiveness(record: CanonicalRecord): Promise<LivenessResult>;
  enrol(goldenId: string, record: CanonicalRecord): Promise<void>;
}

export const noBiometrics: BiometricStages = {
  checkLiveness: () => Promise.resolve({ checked: false, live: true, score: null, reason: 'no biometric stage' }),
  enrol: () => Promise.resolve(),
};
