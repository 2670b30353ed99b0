import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class UserError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `USER.${string}`>, message: string) {
    super(code, message);
  }
}
