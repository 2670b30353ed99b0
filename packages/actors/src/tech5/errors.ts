import { InfrastructureError } from '../pipeline/errors';

export type Tech5ServiceName = 'lds' | 'abis';

/**
 * Tech5 did not answer usefully after the client's retries (5xx, timeouts, dropped connections,
 * or its circuit is open). The record waits for the service: see InfrastructureError.
 */
export class Tech5UnavailableError extends InfrastructureError {
  readonly code = 'TECH5.UNAVAILABLE';
  constructor(
    readonly service: Tech5ServiceName,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Tech5 refused the request (4xx, or a MOSIP failure that is not transient): retrying will not help. */
export class Tech5RequestError extends Error {
  constructor(
    readonly service: Tech5ServiceName,
    readonly status: number,
    /** The service's own error code, e.g. LDS.UNREADABLE_IMAGE or ABIS.FAILURE_REASON_12. */
    readonly serviceCode: string,
    message: string,
  ) {
    super(message);
  }
}

/** One failed attempt that another attempt may fix (5xx, timeout, connection error, bad body). */
export class TransientTech5Error extends Error {}
