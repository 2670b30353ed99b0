import type { ChartData, ChartSeries } from '../../ui/TimeSeriesChart';
import type { Decision, PipelineStage, ThroughputEvent, ThroughputSample } from './overviewTypes';

/** Five minutes of per-second samples: what the server's ring keeps, and what the charts show. */
export const HISTORY_SECONDS = 300;

/**
 * Adds a live event to the history, oldest first. After a reconnect the server replays what was
 * missed; an event already held (same or older id) is dropped, so nothing is counted twice.
 */
export function appendEvent(history: ThroughputEvent[], event: ThroughputEvent): ThroughputEvent[] {
  const last = history.at(-1);
  if (last && Number(event.id) <= Number(last.id)) return history;
  const next =
    history.length >= HISTORY_SECONDS ? history.slice(history.length - HISTORY_SECONDS + 1) : history.slice();
  next.push(event);
  return next;
}

export const DECISIONS: Array<ChartSeries & { key: Decision }> = [
  { key: 'new', label: 'New', color: '#2456d6', unit: '/s' },
  { key: 'linked', label: 'Linked', color: '#1f8a4c', unit: '/s' },
  { key: 'review', label: 'Review', color: '#b76e00', unit: '/s' },
  { key: 'rejected', label: 'Rejected', color: '#7a4cc2', unit: '/s' },
  { key: 'dead_lettered', label: 'Dead-lettered', color: '#c2352b', unit: '/s' },
];

export const STAGES: Array<ChartSeries & { key: PipelineStage }> = [
  { key: 'validate', label: 'Validate', color: '#2456d6' },
  { key: 'liveness', label: 'Liveness', color: '#0f8b8d' },
  { key: 'biometric_search', label: 'Face 1:N', color: '#7a4cc2' },
  { key: 'candidates', label: 'Candidates', color: '#b76e00' },
  { key: 'decide', label: 'Decide', color: '#1f8a4c' },
  { key: 'persist', label: 'Persist', color: '#5b6472' },
];

export const STAGE_TIMES: ChartSeries[] = STAGES.map((s) => ({
  label: s.label,
  color: s.color,
  unit: ' ms',
}));

export const LATENCY: ChartSeries[] = [
  { label: 'p50', color: '#2456d6', unit: ' ms' },
  { label: 'p95', color: '#c2352b', unit: ' ms' },
];

const perSecond = (n: number, s: ThroughputSample) => (s.windowMs > 0 ? (n * 1000) / s.windowMs : n);
const seconds = (s: ThroughputSample) => Date.parse(s.at) / 1000;

/** The four charts' columns, from the same samples. */
export function chartColumns(samples: ThroughputSample[]): {
  decisions: ChartData;
  stages: ChartData;
  latency: ChartData;
  stageLatency: ChartData;
} {
  const x = samples.map(seconds);
  return {
    decisions: [x, ...DECISIONS.map((d) => samples.map((s) => perSecond(s.counts[d.key], s)))],
    stages: [x, ...STAGES.map((st) => samples.map((s) => perSecond(s.stages[st.key].entered, s)))],
    latency: [x, samples.map((s) => s.latency?.p50 ?? null), samples.map((s) => s.latency?.p95 ?? null)],
    stageLatency: [x, ...STAGES.map((st) => samples.map((s) => s.stages[st.key].meanMs))],
  };
}

/** Records decided per second in the latest sample, and in the whole history. */
export function decidedFigures(samples: ThroughputSample[]): { perSecond: number | null; total: number } {
  const last = samples.at(-1);
  return {
    perSecond: last ? perSecond(last.decided, last) : null,
    total: samples.reduce((n, s) => n + s.decided, 0),
  };
}

/** `/identify` calls per second in the latest sample, and what the window's calls created and joined. */
export function identifyFigures(samples: ThroughputSample[]): {
  perSecond: number | null;
  calls: number;
  created: number;
  joined: number;
} {
  const last = samples.at(-1);
  const sum = (k: 'calls' | 'created' | 'joined') => samples.reduce((n, s) => n + (s.identify?.[k] ?? 0), 0);
  return {
    perSecond: last ? perSecond(last.identify?.calls ?? 0, last) : null,
    calls: sum('calls'),
    created: sum('created'),
    joined: sum('joined'),
  };
}

/** The latest sample with a latency: a quiet second keeps showing the last known figure. */
export const latestLatency = (samples: ThroughputSample[]) =>
  samples.findLast((s) => s.latency !== null)?.latency ?? null;
