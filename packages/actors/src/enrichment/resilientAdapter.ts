/**
 * One adapter behind cockatiel policies: a timeout (aggressive: the stage stops waiting when it
 * elapses and the adapter's signal aborts its call), a circuit breaker (after `failures` failures
 * in a row the adapter is not called for `halfOpenAfterMs`, then one record tries it again) and a
 * fallback (an answer that needs nothing outside the process). The record always goes on.
 */
import {
  BrokenCircuitError,
  circuitBreaker,
  ConsecutiveBreaker,
  handleAll,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
  type IPolicy,
} from 'cockatiel';
import { setMaxListeners } from 'node:events';
import {
  OffSchemaError,
  ServiceUnavailableError,
  type AdapterAnswer,
  type Contribution,
  type EnrichmentAdapter,
  type EnrichmentAdapterName,
  type Enriching,
  type FallbackReason,
} from './enrichment';

export interface AdapterPolicy {
  timeoutMs: number;
  /** Failures in a row that open the circuit. */
  failures: number;
  /** How long an open circuit keeps the adapter out before one record tries it again. */
  halfOpenAfterMs: number;
}

export interface Fallback {
  name: EnrichmentAdapterName | 'none';
  answer(input: Enriching): AdapterAnswer;
}

/** The fallback of an adapter nothing stands in for: the record as it came. */
export const keepAsIs: Fallback = {
  name: 'none',
  answer: (input) => ({ result: input, contribution: { outcome: 'unchanged' } }),
};

export class ResilientAdapter {
  private readonly policy: IPolicy;
  /**
   * The parent signal of every call. Without one, cockatiel derives each call's signal from one
   * shared module signal and adds a listener to it per call in flight (removed when the call
   * ends): a micro-batch enriching more than ten records at once printed Node's "possible
   * memory leak" warning in the server log. The listeners are bounded by the calls in flight.
   */
  private readonly lifetime = new AbortController();

  constructor(
    readonly adapter: EnrichmentAdapter,
    policy: AdapterPolicy,
    private readonly fallback: Fallback,
  ) {
    this.policy = wrap(
      circuitBreaker(handleAll, {
        halfOpenAfter: policy.halfOpenAfterMs,
        breaker: new ConsecutiveBreaker(policy.failures),
      }),
      timeout(policy.timeoutMs, TimeoutStrategy.Aggressive),
    );
    setMaxListeners(0, this.lifetime.signal);
  }

  async run(input: Enriching): Promise<{ result: Enriching; contribution: Contribution }> {
    const started = performance.now();
    const ms = () => Math.round((performance.now() - started) * 10) / 10;
    try {
      const answer = await this.policy.execute(
        ({ signal }) => this.adapter.enrich(input, signal),
        this.lifetime.signal,
      );
      return {
        result: answer.result,
        contribution: { adapter: this.adapter.name, ...answer.contribution, ms: ms() },
      };
    } catch (error) {
      const stand = this.fallback.answer(input);
      return {
        result: stand.result,
        contribution: {
          ...stand.contribution,
          adapter: this.adapter.name,
          outcome: 'fallback',
          reason: reasonOf(error),
          detail: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200),
          fallback: this.fallback.name,
          ms: ms(),
        },
      };
    }
  }
}

function reasonOf(error: unknown): FallbackReason {
  if (error instanceof BrokenCircuitError) return 'circuit_open';
  if (error instanceof TaskCancelledError) return 'timeout';
  if (error instanceof OffSchemaError) return 'off_schema';
  if (error instanceof ServiceUnavailableError) return 'unavailable';
  return 'error';
}
