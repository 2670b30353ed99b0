import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class ModelError extends DomainError {
  constructor(code: Extract<DomainErrorCode, `MODEL.${string}`>, message: string) {
    super(code, message);
  }
}
