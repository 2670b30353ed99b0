import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class DeadLetterError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `DEAD_LETTER.${string}`>, message: string) {
    super(code, message);
  }
}
