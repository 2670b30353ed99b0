import { PIPELINE_STAGES, type PipelineStage, type StageTimings } from '@nexus/actors';
import { required } from '@nexus/schema';

/** Keeps the percentiles of a busy second exact enough while bounding memory and sort time. */
const RESERVOIR_SIZE = 2048;

export interface LatencySummary {
  p50: number;
  p95: number;
  mean: number;
}

export type StageSummary = Record<PipelineStage, { entered: number; meanMs: number | null }>;

const round = (ms: number) => Math.round(ms * 100) / 100;

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  const i = Math.min(sorted.length, Math.max(1, rank)) - 1;
  return required(sorted[i], `percentile: value ${i} of ${sorted.length}`);
}

/**
 * Decision latencies and stage timings of one window (a second): a uniform reservoir of the
 * latencies for p50/p95, and per stage how many records entered it and their mean time there.
 */
export class WindowStats {
  private samples: number[] = [];
  private seen = 0;
  private total = 0;
  private stageCount = new Map<PipelineStage, number>();
  private stageMs = new Map<PipelineStage, number>();

  constructor(private readonly random: () => number = Math.random) {}

  add(ms: number, stages: StageTimings | undefined): void {
    this.seen++;
    this.total += ms;
    if (this.samples.length < RESERVOIR_SIZE) this.samples.push(ms);
    else {
      const slot = Math.floor(this.random() * this.seen);
      if (slot < RESERVOIR_SIZE) this.samples[slot] = ms;
    }
    for (const stage of PIPELINE_STAGES) {
      const spent = stages?.[stage];
      if (spent === undefined) continue;
      this.stageCount.set(stage, (this.stageCount.get(stage) ?? 0) + 1);
      this.stageMs.set(stage, (this.stageMs.get(stage) ?? 0) + spent);
    }
  }

  latency(): LatencySummary | null {
    if (this.seen === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    return {
      p50: round(percentile(sorted, 50)),
      p95: round(percentile(sorted, 95)),
      mean: round(this.total / this.seen),
    };
  }

  stages(): StageSummary {
    const summary = {} as StageSummary;
    for (const stage of PIPELINE_STAGES) {
      const entered = this.stageCount.get(stage) ?? 0;
      const meanMs = entered
        ? round(required(this.stageMs.get(stage), `time in stage ${stage}`) / entered)
        : null;
      summary[stage] = { entered, meanMs };
    }
    return summary;
  }
}
