/** Domain errors of ingestion, each with a stable code that the API maps to a status once. */
export class IngestError extends Error {
  constructor(
    readonly code: 'BATCH.EMPTY' | 'BATCH.TOO_LARGE' | 'BATCH.NOT_FOUND' | 'BATCH.NOT_CANCELLABLE' | 'SOURCE.INVALID',
    message: string,
  ) {
    super(message);
  }
}
