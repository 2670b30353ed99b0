import { DomainError, type DomainErrorCode } from '../errors/domainError';

/** Domain errors of sources and jobs, each with a stable code the API maps to a status once. */
export class JobError extends DomainError {
  constructor(
    code: Extract<DomainErrorCode, `JOB.${string}` | `JOB_SOURCE.${string}` | `UPLOAD.${string}`>,
    message: string,
    options: ConstructorParameters<typeof DomainError>[2] = {},
  ) {
    super(code, message, options);
  }
}
