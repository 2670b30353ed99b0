import { DomainError, type DomainErrorCode } from '../errors/domainError';

/** Domain errors of ingestion, each with a stable code that the API maps to a status once. */
export class IngestError extends DomainError {
  constructor(
    code: Extract<DomainErrorCode, `BATCH.${string}` | `SOURCE.${string}` | `RECORD.${string}`>,
    message: string,
    options: ConstructorParameters<typeof DomainError>[2] = {},
  ) {
    super(code, message, options);
  }
}
