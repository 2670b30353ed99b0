import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { ZodError, type z } from 'zod';
import type { FieldError } from '@nexus/schema';
import { DomainError, type DomainErrorCode } from './domainError';

/** What a client sees of any failure: never a stack trace or an internal message. */
export interface ErrorBody {
  code: DomainErrorCode | 'INTERNAL';
  message: string;
  fields?: FieldError[];
}

const TRPC_BY_STATUS: Record<number, TRPC_ERROR_CODE_KEY> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_SUPPORTED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

const CODE_BY_TRPC: Partial<Record<TRPC_ERROR_CODE_KEY, DomainErrorCode>> = {
  BAD_REQUEST: 'REQUEST.INVALID',
  PARSE_ERROR: 'REQUEST.INVALID',
  UNAUTHORIZED: 'AUTH.UNAUTHENTICATED',
  FORBIDDEN: 'AUTH.FORBIDDEN',
  NOT_FOUND: 'REQUEST.NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'REQUEST.METHOD_NOT_ALLOWED',
  PAYLOAD_TOO_LARGE: 'REQUEST.TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  TOO_MANY_REQUESTS: 'REQUEST.RATE_LIMITED',
};

export function zodFieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(body)', message: i.message }));
}

export function trpcCodeOf(error: DomainError): TRPC_ERROR_CODE_KEY {
  return TRPC_BY_STATUS[error.status] ?? 'INTERNAL_SERVER_ERROR';
}

/** A domain error as a TRPCError; the domain error stays its cause, for the error formatter. */
export function toTRPCError(error: DomainError): TRPCError {
  return new TRPCError({ code: trpcCodeOf(error), message: error.message, cause: error });
}

/** Any failure as status + body: domain errors by their table, zod errors field by field, the rest as 500. */
export function describeError(error: unknown): { status: number; body: ErrorBody; internal: boolean } {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof DomainError) {
    return {
      status: cause.status,
      body: { code: cause.code, message: cause.message, ...(cause.fields ? { fields: cause.fields } : {}) },
      internal: false,
    };
  }
  if (cause instanceof ZodError) {
    return {
      status: 400,
      body: { code: 'REQUEST.INVALID', message: 'the request is invalid', fields: zodFieldErrors(cause) },
      internal: false,
    };
  }
  if (error instanceof TRPCError && error.code !== 'INTERNAL_SERVER_ERROR') {
    const code = CODE_BY_TRPC[error.code];
    const status = Object.entries(TRPC_BY_STATUS).find(([, c]) => c === error.code)?.[0];
    if (code && status)
      return { status: Number(status), body: { code, message: error.message }, internal: false };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' }, internal: true };
}
