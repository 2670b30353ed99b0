import { DomainError, type DomainErrorCode } from '../errors/domainError';

export class AuthError extends DomainError {
  constructor(
    code: Extract<DomainErrorCode, `AUTH.${string}`>,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super(code, message, options);
  }
}
