/**
 * An error that retrying cannot fix: the record goes to dead letters at once instead of after
 * the retry budget. (Invalid input is not an error at all: it is decided as `rejected`.)
 */
export class NonRetriableError extends Error {
  readonly retriable = false;
}

export function isRetriable(error: unknown): boolean {
  return !(error instanceof NonRetriableError);
}

/**
 * A part the pipeline depends on is down (Tech5 after its own retries, say). The record is not at
 * fault: its partition retries it with backoff for as long as the outage lasts, and these tries
 * do not count towards dead-lettering. An outage delays records; it never drops them.
 */
export class InfrastructureError extends Error {
  readonly infrastructure = true;
}

export function isInfrastructureError(error: unknown): boolean {
  return error instanceof InfrastructureError;
}
