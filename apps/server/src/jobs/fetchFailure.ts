import { RecordFileError } from '../files';

/** Why a fetch stopped; stable codes shown on the job. */
export type FetchFailureCode =
  | 'FETCH.REFUSED'
  | 'FETCH.UNAUTHORIZED'
  | 'FETCH.HTTP_STATUS'
  | 'FETCH.NETWORK'
  | 'FETCH.TIMEOUT'
  | 'FETCH.BAD_QUERY'
  | 'FETCH.NOT_FOUND'
  | 'FETCH.NOT_RECORDS'
  | 'FETCH.INVALID_SOURCE'
  | 'FETCH.FAILED';

/**
 * A fetch that failed, and whether trying again may help: a network failure, a 5xx or a lost
 * database connection may pass; a 401, a bad query or an unreadable file will not.
 */
export class FetchFailure extends Error {
  override readonly name = 'FetchFailure';

  constructor(
    readonly code: FetchFailureCode | RecordFileError['code'],
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Socket and DNS failures that a later attempt may not meet. */
const TRANSIENT_ERRNO = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'UND_ERR_SOCKET',
]);

/** Postgres SQLSTATE classes: 08 connection, 53 resources, 57 operator intervention (terminated), 40 rollback. */
const TRANSIENT_SQLSTATE = /^(08|53|57|40)/;

/** Any failure of a fetch as a FetchFailure, classified. */
export function classifyFailure(error: unknown): FetchFailure {
  if (error instanceof FetchFailure) return error;
  if (error instanceof RecordFileError)
    return new FetchFailure(error.code, error.message, false, { cause: error });
  const e = error as {
    code?: unknown;
    message?: unknown;
    $metadata?: { httpStatusCode?: number };
    name?: string;
  };
  const message = typeof e?.message === 'string' ? e.message : String(error);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code && TRANSIENT_ERRNO.has(code))
    return new FetchFailure('FETCH.NETWORK', `network: ${message}`, true, { cause: error });
  if (code && /^[0-9A-Z]{5}$/.test(code)) {
    if (TRANSIENT_SQLSTATE.test(code))
      return new FetchFailure('FETCH.NETWORK', `database connection lost: ${message}`, true, {
        cause: error,
      });
    if (code.startsWith('28'))
      return new FetchFailure(
        'FETCH.UNAUTHORIZED',
        `the database refused the credentials: ${message}`,
        false,
        { cause: error },
      );
    return new FetchFailure('FETCH.BAD_QUERY', `the query failed (${code}): ${message}`, false, {
      cause: error,
    });
  }
  if (/Connection terminated|connection .*(closed|ended)|socket hang up|aborted/i.test(message))
    return new FetchFailure('FETCH.NETWORK', `connection lost: ${message}`, true, { cause: error });
  const status = e?.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    if (status >= 500 || status === 429)
      return new FetchFailure('FETCH.HTTP_STATUS', `the object store answered ${status}`, true, {
        cause: error,
      });
    if (status === 401 || status === 403)
      return new FetchFailure(
        'FETCH.UNAUTHORIZED',
        `the object store refused the credentials (${status}: ${e.name ?? message})`,
        false,
        { cause: error },
      );
    if (status === 404)
      return new FetchFailure(
        'FETCH.NOT_FOUND',
        `the object store has no such bucket or key (${e.name ?? message})`,
        false,
        { cause: error },
      );
    return new FetchFailure(
      'FETCH.HTTP_STATUS',
      `the object store answered ${status} (${e.name ?? message})`,
      false,
      { cause: error },
    );
  }
  return new FetchFailure('FETCH.FAILED', message, false, { cause: error });
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, baseMs: number, capMs = 300_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(random() * ceiling);
}
