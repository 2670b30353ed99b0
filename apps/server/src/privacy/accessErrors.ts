import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class AccessError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `ACCESS.${string}`>, message: string) {
    super(code, message, { fields: [{ field: 'reason', message }] });
  }
}
