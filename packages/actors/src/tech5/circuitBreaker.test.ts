import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuitBreaker';

describe('CircuitBreaker', () => {
  it('opens after failures in a row, lets one trial through after the open time, closes on success', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 1000 }, () => now);
    b.failure();
    b.failure();
    b.success(); // a success resets the count
    b.failure();
    b.failure();
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    now = 1000;
    expect(b.allow()).toBe(true); // the trial
    expect(b.state).toBe('half_open');
    expect(b.allow()).toBe(false); // one at a time
    b.failure();
    expect(b.state).toBe('open');
    now = 2500;
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.openings).toBe(2);
  });

  it('an abandoned trial lets the next call be the trial', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 1000 }, () => now);
    b.failure();
    now = 1000;
    expect(b.allow()).toBe(true);
    expect(b.allow()).toBe(false);
    b.abandon();
    expect(b.allow()).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });
});
