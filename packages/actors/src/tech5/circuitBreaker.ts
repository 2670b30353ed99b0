/**
 * A circuit breaker per Tech5 service and worker thread: after `failureThreshold` failures in a
 * row it opens and calls fail at once (no waiting on a dead service), after `openMs` one trial
 * call goes through (half-open), and a success closes it again. Every call allowed through must
 * end in exactly one of success(), failure() or abandon(), or a half-open circuit stays shut.
 */
export interface CircuitBreakerOptions {
  failureThreshold: number;
  openMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half_open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: CircuitState = 'closed';
  private opened = 0;

  constructor(
    private readonly options: CircuitBreakerOptions,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** How many times the circuit has opened. */
  get openings(): number {
    return this.opened;
  }

  /** May a call go out now? In half-open state only one trial at a time. */
  allow(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.options.openMs) return false;
      this.current = 'half_open';
    }
    if (this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  /**
   * A call allowed through never reached the service (its request could not even be built): it
   * says nothing about the service, so it is neither a success nor a failure, but a half-open
   * trial must end so that the next call can be the trial.
   */
  abandon(): void {
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    this.trialInFlight = false;
    if (this.current === 'half_open' || this.failures >= this.options.failureThreshold) {
      if (this.current !== 'open') this.opened++;
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
