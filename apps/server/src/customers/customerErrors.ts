import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class CustomerError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `CUSTOMER.${string}`>, message: string) {
    super(code, message);
  }
}
