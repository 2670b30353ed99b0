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
