import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class ReviewError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `CASE.${string}`>, message: string) {
    super(code, message);
  }
}
