import type { FieldError } from '@nexus/schema';

/**
 * Every domain error code the control plane answers with, and its HTTP status. The one place
 * where codes meet statuses: tRPC codes and REST statuses both derive from this table.
 */
export const DOMAIN_ERROR_STATUS = {
  'REQUEST.INVALID': 400,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  'REQUEST.RATE_LIMITED': 429,
  'REQUEST.TOO_MANY_SUBSCRIPTIONS': 429,
  'REQUEST.NOT_FOUND': 404,
  'REQUEST.METHOD_NOT_ALLOWED': 405,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.REFRESH_INVALID': 401,
  'AUTH.FORBIDDEN': 403,
  'SOURCE.INVALID': 400,
  'SOURCE.NOT_YOURS': 403,
  'BATCH.EMPTY': 400,
  'BATCH.TOO_LARGE': 413,
  'BATCH.NOT_FOUND': 404,
  'BATCH.NOT_CANCELLABLE': 409,
  'BATCH.NOT_RETRIABLE': 409,
  'RECORD.INVALID': 400,
  'RECORD.NOT_FOUND': 404,
  'RECORD.NOT_YOURS': 409,
  'CUSTOMER.NOT_FOUND': 404,
  'CUSTOMER.NOT_ACTIVE': 409,
  'CUSTOMER.SAME_RECORD': 400,
  'CUSTOMER.NOT_A_MEMBER': 409,
  'CUSTOMER.LAST_MEMBER': 409,
  'CASE.NOT_FOUND': 404,
  'CASE.ALREADY_RESOLVED': 409,
  'CASE.CLAIMED_BY_OTHER': 409,
  'CASE.INVALID_RESOLUTION': 400,
  'CASE.RECORD_NOT_IN_REVIEW': 409,
  'DEAD_LETTER.NOT_FOUND': 404,
  'DEAD_LETTER.NOT_OPEN': 409,
  'USER.EXISTS': 409,
  'USER.NOT_FOUND': 404,
  'USER.INVALID': 400,
  'CONTACT.NOT_FOUND': 404,
  'ERASURE.RECORD_NOT_FOUND': 404,
  'ERASURE.ALREADY_ERASED': 409,
  'ERASURE.RECORD_UNDECIDED': 409,
  'ERASURE.CUSTOMER_ERASED': 409,
  'ERASURE.CONFLICT': 409,
  'ERASURE.BIOMETRICS_UNAVAILABLE': 503,
  'CLIENT.VERSION_UNSUPPORTED': 400,
  'ACCESS.REASON_REQUIRED': 400,
  'SUBSCRIPTION.NOT_FOUND': 404,
  'SUBSCRIPTION.URL_NOT_ALLOWED': 400,
  'SUBSCRIPTION.EMAIL_NOT_CONFIGURED': 409,
  'DELIVERY.NOT_FOUND': 404,
  'JOB_SOURCE.INVALID': 400,
  'JOB_SOURCE.NOT_FOUND': 404,
  'JOB_SOURCE.EXISTS': 409,
  'JOB.NOT_FOUND': 404,
  'JOB.NOT_CANCELLABLE': 409,
  'JOB.SOURCE_BUSY': 409,
  'UPLOAD.NOT_FOUND': 404,
  'MODEL.RETRAINING_BUSY': 409,
  'MODEL.NOT_ENOUGH_DATA': 409,
} as const satisfies Record<string, 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 429 | 503>;

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_STATUS;

export interface DomainErrorOptions {
  cause?: unknown;
  /** Field by field problems (a rejected record, an invalid request body). */
  fields?: FieldError[];
}

/** A failure the client can act on: a stable code, a message for people, optionally the fields at fault. */
export class DomainError extends Error {
  readonly fields: FieldError[] | undefined;

  constructor(
    readonly code: DomainErrorCode,
    message: string,
    options: DomainErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.fields = options.fields;
  }

  get status(): number {
    return DOMAIN_ERROR_STATUS[this.code];
  }
}

/** The request itself is malformed (REST body, query): which fields, and why. */
export class RequestError extends DomainError {}
