/** The pipeline's stages, in the order a record passes them (liveness and face search only with a face). */
export const PIPELINE_STAGES = [
  'validate',
  'liveness',
  'biometric_search',
  'candidates',
  'decide',
  'persist',
] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

/** Milliseconds a record spent in each stage it entered; a stage it skipped is absent. */
export type StageTimings = Partial<Record<PipelineStage, number>>;

/**
 * Times the stages of one record: each `lap` charges the time since the previous lap to a stage,
 * so the stages add up to the whole and nothing is counted twice.
 */
export class StageClock {
  readonly timings: StageTimings = {};
  private last = performance.now();

  lap(stage: PipelineStage): void {
    const now = performance.now();
    this.timings[stage] = (this.timings[stage] ?? 0) + (now - this.last);
    this.last = now;
  }

  /** Time since the last lap is nobody's (e.g. waiting on a lock before a stage starts). */
  skip(): void {
    this.last = performance.now();
  }
}
