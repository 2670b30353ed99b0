import { describe, expect, it } from 'vitest';
import { appendEvent, chartColumns, decidedFigures, HISTORY_SECONDS, latestLatency } from './liveHistory';
import { throughputEvent, throughputSample } from './overviewFixtures';

const T0 = Date.parse('2026-03-02T10:00:00Z');

describe('the overview history', () => {
  it('keeps events in order and drops one replayed after a reconnect', () => {
    let h = [throughputEvent(T0, 1), throughputEvent(T0 + 1000, 2)];
    h = appendEvent(h, throughputEvent(T0 + 1000, 2));
    h = appendEvent(h, throughputEvent(T0 + 2000, 3));
    expect(h.map((e) => e.data.decided)).toEqual([1, 2, 3]);
  });

  it('holds five minutes at most, dropping the oldest', () => {
    let h = [throughputEvent(T0, 0)];
    for (let i = 1; i <= HISTORY_SECONDS + 10; i++) h = appendEvent(h, throughputEvent(T0 + i * 1000, i));
    expect(h).toHaveLength(HISTORY_SECONDS);
    expect(h.at(-1)!.data.decided).toBe(HISTORY_SECONDS + 10);
  });

  it('turns window counts into rates per second for the charts', () => {
    const half = { ...throughputSample(T0, 10), windowMs: 500 };
    const columns = chartColumns([half]);
    expect(columns.decisions[0]).toEqual([T0 / 1000]);
    // 7 new and 3 linked in half a second.
    expect(columns.decisions[1]).toEqual([14]);
    expect(columns.decisions[2]).toEqual([6]);
    expect(columns.stages[1]).toEqual([20]);
    expect(columns.stageLatency[4]).toEqual([3]);
    expect(columns.latency).toEqual([[T0 / 1000], [null], [null]]);
  });

  it('shows the latest decided rate, the total, and the last known latency', () => {
    const samples = [
      throughputSample(T0, 5, { p50: 4, p95: 9, mean: 5 }),
      throughputSample(T0 + 1000, 7, { p50: 3, p95: 8, mean: 4 }),
      throughputSample(T0 + 2000, 0),
    ];
    expect(decidedFigures(samples)).toEqual({ perSecond: 0, total: 12 });
    expect(latestLatency(samples)).toEqual({ p50: 3, p95: 8, mean: 4 });
    expect(decidedFigures([])).toEqual({ perSecond: null, total: 0 });
  });
});
