import { TRPCClientError } from '@trpc/client';
import type { AppRouter, DomainErrorCode } from './appRouter.js';

/** What went wrong on the client's side: the server was not reached, or the caller aborted. */
export type ClientErrorCode = 'CLIENT.NETWORK' | 'CLIENT.ABORTED';

/** A failure the server did not expect (its details stay in its log). */
export type NexusErrorCode = DomainErrorCode | 'INTERNAL' | ClientErrorCode;

export interface NexusFieldError {
  field: string;
  message: string;
}

/**
 * Every failure of a call, with the server's stable code (its DomainError table) to branch on.
 * A TRPCClientError still, so code written against plain tRPC keeps working.
 */
export class NexusError extends TRPCClientError<AppRouter> {
  /** The stable code: a server's (`BATCH.NOT_FOUND`...) or the client's own (`CLIENT.NETWORK`). */
  readonly code: NexusErrorCode;
  /** The HTTP status the server answered with (0 when none was received). */
  readonly status: number;
  /** Field by field problems of an invalid input, when the server gave them. */
  readonly fields: NexusFieldError[];

  constructor(
    message: string,
    opts: { code: NexusErrorCode; status: number; fields?: NexusFieldError[]; cause?: unknown },
    original?: TRPCClientError<AppRouter>,
  ) {
    super(message, {
      ...(original?.shape ? { result: { error: original.shape } } : {}),
      ...(opts.cause instanceof Error ? { cause: opts.cause } : {}),
      ...(original?.meta ? { meta: original.meta } : {}),
    });
    // TRPCClientError sets its own prototype (for transpiled code), which would hide this class.
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'NexusError';
    this.code = opts.code;
    this.status = opts.status;
    this.fields = opts.fields ?? [];
  }

  /** Any failure of a call as a NexusError (one already is stays as it is). */
  static of(error: unknown): NexusError {
    if (error instanceof NexusError) return error;
    const original = error instanceof TRPCClientError ? (error as TRPCClientError<AppRouter>) : undefined;
    const cause = original?.cause ?? error;
    const message = error instanceof Error ? error.message : String(error);
    const data = original?.data;
    if (data?.domainCode) {
      return new NexusError(
        message,
        { code: data.domainCode, status: data.httpStatus, fields: data.fields ?? [], cause },
        original,
      );
    }
    const response = original?.meta?.response as { status?: number } | undefined;
    const body = original?.meta?.responseJSON as
      { error?: { code?: unknown; message?: unknown } } | undefined;
    // The HTTP front answers some refusals itself (rate limits), in the REST error format.
    if (response?.status && typeof body?.error?.code === 'string') {
      return new NexusError(
        typeof body.error.message === 'string' ? body.error.message : message,
        { code: body.error.code as DomainErrorCode, status: response.status, cause },
        original,
      );
    }
    if (isAbort(cause) || isAbort(error))
      return new NexusError('aborted', { code: 'CLIENT.ABORTED', status: 0, cause }, original);
    if (!response?.status)
      return new NexusError(
        `the server was not reached: ${message}`,
        { code: 'CLIENT.NETWORK', status: 0, cause },
        original,
      );
    return new NexusError(message, { code: 'INTERNAL', status: response.status, cause }, original);
  }
}

/** True when `error` is a NexusError, of one of `codes` if any are given. */
export function isNexusError(error: unknown, ...codes: NexusErrorCode[]): error is NexusError {
  return error instanceof NexusError && (codes.length === 0 || codes.includes(error.code));
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
