/**
 * The biometric stages on real Tech5 clients: T5-LDS for liveness, T5-ABIS for 1:N search and
 * enrolment. The face image is read once per record (a small cache keeps it between the stages).
 */
import type { CanonicalRecord } from '@nexus/schema';
import { AbisClient } from '../tech5/abisClient';
import { FaceImageError, loadFaceImage, type FaceSample } from '../tech5/faceImage';
import { LdsClient } from '../tech5/ldsClient';
import { Tech5RequestError } from '../tech5/errors';
import type { Tech5ClientOptions } from '../tech5/resilientCaller';
import type { OperationMetrics, Tech5CallReport } from '../tech5/callMetrics';
import { CLOSED_FACE_POLICY, type FaceSourcePolicy } from '../faces/faceSourcePolicy';
import { FaceSampleCache } from '../faces/faceSampleCache';
import type { BatchFaceStages, BiometricSearch, LivenessResult, SearchScope } from './biometricStages';

export interface Tech5BiometricsOptions {
  ldsUrl: string;
  abisUrl: string;
  client?: Partial<Tech5ClientOptions>;
  /** Where face images may be read from; default: data: URLs only. */
  faces?: FaceSourcePolicy;
  /** MOSIP identify flags: candidates at most, and -10·log10 of the acceptable FPIR. */
  maxResults?: number;
  targetFPIR?: number;
}

/** At most 1 false candidate in 100 searches: enough to weigh, rare enough not to mislead. */
export const DEFAULT_TARGET_FPIR = 20;
/**
 * A verification against one person's faces accepts another person's face at most once in 1,000
 * (-10·log10 of 1e-3): it is asked only when the demographics link already, and an impostor
 * presenting someone's details must still fail it nearly always.
 */
export const VERIFY_TARGET_FPIR = 30;
export const DEFAULT_MAX_RESULTS = 10;
const CACHED_SAMPLES = 32;
/** The face cache holds at most this many images of the largest size NEXUS_FACE_MAX_BYTES allows. */
const CACHED_LARGEST_SAMPLES = 4;

export class Tech5Biometrics implements BatchFaceStages {
  readonly lds: LdsClient;
  readonly abis: AbisClient;
  private readonly samples: FaceSampleCache;
  private readonly maxResults: number;
  private readonly targetFPIR: number;
  private readonly faces: FaceSourcePolicy;

  constructor(options: Tech5BiometricsOptions) {
    this.lds = new LdsClient(options.ldsUrl, options.client);
    this.abis = new AbisClient(options.abisUrl, options.client);
    this.maxResults = options.maxResults ?? DEFAULT_MAX_RESULTS;
    this.targetFPIR = options.targetFPIR ?? DEFAULT_TARGET_FPIR;
    this.faces = options.faces ?? CLOSED_FACE_POLICY;
    // An image is held twice (bytes and data: URL, 4/3 as long): the budget counts both.
    this.samples = new FaceSampleCache(
      CACHED_SAMPLES,
      CACHED_LARGEST_SAMPLES * this.faces.maxBytes * (1 + 4 / 3),
    );
  }

  async checkLiveness(record: CanonicalRecord): Promise<LivenessResult> {
    if (!record.face_image) return { checked: false, live: true, score: null, reason: 'no face image' };
    let sample: FaceSample;
    try {
      sample = await this.sample(record.face_image);
    } catch (error) {
      if (error instanceof FaceImageError)
        return { checked: true, live: false, score: null, reason: error.message };
      throw error;
    }
    try {
      const answer = await this.lds.check(sample.dataUrl);
      return {
        checked: true,
        live: answer.live,
        score: answer.livenessScore,
        quality: answer.quality,
        threshold: answer.threshold,
        reason: answer.live
          ? 'live'
          : `presentation attack suspected: liveness ${answer.livenessScore} below ${answer.threshold}`,
      };
    } catch (error) {
      if (error instanceof Tech5RequestError) {
        // The service read the request and refused the image: the record's face is at fault.
        return {
          checked: true,
          live: false,
          score: null,
          reason: `face image refused by T5-LDS: ${error.message}`,
        };
      }
      throw error;
    }
  }

  async identify(record: CanonicalRecord): Promise<BiometricSearch | null> {
    if (!record.face_image) return null;
    const sample = await this.sample(record.face_image);
    const matches = await this.abis.identify({
      referenceUrl: sample.dataUrl,
      maxResults: this.maxResults,
      targetFPIR: this.targetFPIR,
    });
    return { targetFPIR: this.targetFPIR, matches };
  }

  async identifyInserted(
    referenceId: string,
    scope: SearchScope,
  ): Promise<BiometricSearch & { limit: number }> {
    // MOSIP's FPIR is per search: N · FMR <= FPIR. Asking among `searched` for the FMR a search
    // among `eligible` allows is asking for a target lower by 10·log10(searched / eligible).
    const widened =
      this.targetFPIR +
      10 * Math.log10(Math.max(1, scope.eligible)) -
      10 * Math.log10(Math.max(1, scope.searched));
    // The reference inserted ahead is the sample: the image is not sent a third time.
    const matches = await this.abis.identify({
      referenceId,
      maxResults: Math.min(1000, this.maxResults + scope.extra),
      // Never below 0 (MOSIP's range): in a tiny gallery a huge batch is searched a little stricter.
      targetFPIR: Math.max(0, Math.min(this.targetFPIR, widened)),
    });
    return { targetFPIR: this.targetFPIR, matches, limit: this.maxResults };
  }

  async insertAhead(referenceId: string, record: CanonicalRecord): Promise<void> {
    if (!record.face_image) return;
    // The sample stays cached: the search that follows sends the same image.
    const sample = await this.sample(record.face_image);
    await this.abis.insert(referenceId, sample.dataUrl);
  }

  async remove(referenceId: string): Promise<void> {
    await this.abis.delete(referenceId);
  }

  referenceCount(): Promise<number> {
    return this.abis.referenceCount();
  }

  async verify(record: CanonicalRecord, referenceIds: readonly string[]): Promise<BiometricSearch | null> {
    if (!record.face_image || referenceIds.length === 0) return null;
    const sample = await this.sample(record.face_image);
    const matches = await this.abis.identify({
      referenceUrl: sample.dataUrl,
      maxResults: referenceIds.length,
      targetFPIR: VERIFY_TARGET_FPIR,
      gallery: referenceIds,
    });
    return { targetFPIR: VERIFY_TARGET_FPIR, matches };
  }

  async enrol(referenceId: string, record: CanonicalRecord): Promise<void> {
    if (!record.face_image) return;
    const sample = await this.sample(record.face_image);
    await this.abis.insert(referenceId, sample.dataUrl);
    this.samples.forget(record.face_image);
  }

  metrics(): { lds: Record<string, OperationMetrics>; abis: Record<string, OperationMetrics> } {
    return { lds: this.lds.caller.metrics.snapshot(), abis: this.abis.caller.metrics.snapshot() };
  }

  /** The calls since the last report, for the main thread's /metrics. */
  takeCallReport(): Tech5CallReport {
    return { lds: this.lds.caller.metrics.takeReport(), abis: this.abis.caller.metrics.takeReport() };
  }

  /** The face image, read once for all stages of a record; a failed read is not cached. */
  private sample(reference: string): Promise<FaceSample> {
    return this.samples.get(reference, () => loadFaceImage(reference, this.faces));
  }
}
