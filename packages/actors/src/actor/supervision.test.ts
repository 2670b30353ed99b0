import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_SUPERVISION, RestartWindow } from './supervision';

describe('backoffMs', () => {
  it('doubles per attempt within jitter and stops at the cap', () => {
    const p = { ...DEFAULT_SUPERVISION, baseBackoffMs: 100, maxBackoffMs: 1000 };
    expect(backoffMs(p, 1, () => 1)).toBe(100);
    expect(backoffMs(p, 1, () => 0)).toBe(50);
    expect(backoffMs(p, 3, () => 1)).toBe(400);
    expect(backoffMs(p, 10, () => 1)).toBe(1000);
  });
});

describe('RestartWindow', () => {
  it('trips only when restarts within the window exceed the limit', () => {
    const w = new RestartWindow({ ...DEFAULT_SUPERVISION, maxRestarts: 2, restartWindowMs: 1000 });
    expect(w.record(0)).toBe(false);
    expect(w.record(10)).toBe(false);
    expect(w.record(20)).toBe(true);
    expect(w.record(5000)).toBe(false); // the old ones slid out of the window
  });
});
