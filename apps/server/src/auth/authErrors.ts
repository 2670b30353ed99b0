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

/** A failed sign-in; whether the account exists is for the log only, never for the answer. */
export class InvalidCredentialsError extends AuthError {
  constructor(readonly accountExists: boolean) {
    super('AUTH.INVALID_CREDENTIALS', 'wrong username or password');
  }
}
