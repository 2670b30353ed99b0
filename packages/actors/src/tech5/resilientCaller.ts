/**
 * How a Tech5 client calls its service: JSON over HTTP with a timeout per attempt; retries with
 * exponential backoff and jitter on 5xx, 429, timeouts and connection errors; no retry on other
 * 4xx; a circuit breaker; metrics per operation. Retries exhausted (or the circuit open) end in
 * Tech5UnavailableError, which the pipeline treats as an outage, not as the record's fault.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CallMetrics } from './callMetrics';
import { CircuitBreaker } from './circuitBreaker';
import {
  Tech5RequestError,
  Tech5UnavailableError,
  TransientTech5Error,
  type Tech5ServiceName,
} from './errors';

export interface Tech5ClientOptions {
  /** One attempt's time limit, ms. */
  timeoutMs: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff before retry n: min(maxBackoffMs, baseBackoffMs * 2^(n-1)), the upper half jittered. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Failures in a row that open the circuit, and how long it stays open. */
  breakerFailures: number;
  breakerOpenMs: number;
}

export const DEFAULT_TECH5_CLIENT_OPTIONS: Tech5ClientOptions = {
  timeoutMs: 10_000,
  maxAttempts: 4,
  baseBackoffMs: 100,
  maxBackoffMs: 2_000,
  breakerFailures: 5,
  breakerOpenMs: 5_000,
};

export interface HttpAnswer {
  status: number;
  /** The parsed JSON body, or undefined when the body was not JSON. */
  json: unknown;
}

export class ResilientCaller {
  readonly metrics = new CallMetrics();
  readonly breaker: CircuitBreaker;
  private readonly options: Tech5ClientOptions;

  constructor(
    readonly service: Tech5ServiceName,
    options: Partial<Tech5ClientOptions> = {},
    private readonly random: () => number = Math.random,
  ) {
    this.options = { ...DEFAULT_TECH5_CLIENT_OPTIONS, ...options };
    this.breaker = new CircuitBreaker({
      failureThreshold: this.options.breakerFailures,
      openMs: this.options.breakerOpenMs,
    });
  }

  /**
   * POSTs `body` (built afresh for each attempt) and hands the answer to `read`, which returns
   * the result, throws TransientTech5Error to retry, or throws anything else to stop.
   */
  async call<T>(
    operation: string,
    url: string,
    body: () => unknown,
    read: (answer: HttpAnswer) => T,
  ): Promise<T> {
    const started = performance.now();
    this.metrics.called(operation);
    let lastError: unknown;
    for (let attempt = 1; attempt <= this.options.maxAttempts; attempt++) {
      if (!this.breaker.allow()) {
        this.metrics.shortCircuited(operation);
        this.metrics.finished(operation, false, performance.now() - started);
        throw new Tech5UnavailableError(
          this.service,
          `${this.service} ${operation}: circuit open after repeated failures`,
          {
            cause: lastError,
          },
        );
      }
      let answered = false;
      try {
        const answer = await this.post(url, body());
        answered = true;
        if (answer.status >= 500 || answer.status === 429) {
          throw new TransientTech5Error(`HTTP ${answer.status}${describeBody(answer.json)}`);
        }
        if (answer.status >= 400) {
          this.breaker.success(); // the service is up; the request was at fault
          const error = (answer.json as { error?: { code?: string; message?: string } } | undefined)?.error;
          throw new Tech5RequestError(
            this.service,
            answer.status,
            error?.code ?? `HTTP_${answer.status}`,
            `${this.service} ${operation} refused the request (HTTP ${answer.status}): ${error?.message ?? 'no detail'}`,
          );
        }
        const result = read(answer);
        this.breaker.success();
        this.metrics.finished(operation, true, performance.now() - started);
        return result;
      } catch (error) {
        if (!(error instanceof TransientTech5Error)) {
          // Not an outage: the service answered (the request was at fault), or nothing went out.
          // Either way the call ends here, and so does a half-open trial.
          if (answered) this.breaker.success();
          else this.breaker.abandon();
          this.metrics.finished(operation, false, performance.now() - started);
          throw error;
        }
        lastError = error;
        this.breaker.failure();
        if (attempt < this.options.maxAttempts) {
          this.metrics.retried(operation);
          await sleep(this.backoffMs(attempt));
        }
      }
    }
    this.metrics.finished(operation, false, performance.now() - started);
    const why = lastError instanceof Error ? lastError.message : String(lastError);
    throw new Tech5UnavailableError(
      this.service,
      `${this.service} ${operation} failed ${this.options.maxAttempts} times: ${why}`,
      { cause: lastError },
    );
  }

  backoffMs(attempt: number): number {
    const exp = Math.min(this.options.maxBackoffMs, this.options.baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + (this.random() * exp) / 2);
  }

  private async post(url: string, body: unknown): Promise<HttpAnswer> {
    let response: Response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
    } catch (error) {
      // Timeouts (TimeoutError), refused or reset connections (TypeError: fetch failed).
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      const name = error instanceof Error ? error.name : 'Error';
      throw new TransientTech5Error(
        name === 'TimeoutError'
          ? `timed out after ${this.options.timeoutMs} ms`
          : `${name}${cause ? ` (${cause})` : ''}: ${String(error)}`,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new TransientTech5Error(`the answer broke off: ${String(error)}`);
    }
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json };
  }
}

function describeBody(json: unknown): string {
  const message = (json as { error?: { message?: string } } | undefined)?.error?.message;
  return message ? `: ${message}` : '';
}
