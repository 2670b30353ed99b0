import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { describeError } from '../errors/errorMapping';
import { sendError } from './respond';

/**
 * The last resort of one request: whatever escaped its handler is logged and answered (the
 * mapped status, 500 for anything unknown), or, when the answer has already begun or cannot be
 * written, the connection is cut. A request ends in a response or a closed socket, never in a
 * dead process; this function itself never throws.
 */
export function answerLastResort(
  res: ServerResponse,
  error: unknown,
  at: { requestId: string; path: string; log: Logger },
): void {
  try {
    if (res.headersSent || res.destroyed) {
      if (describeError(error).internal) at.log.error({ err: error, path: at.path }, 'request failed');
      res.destroy();
      return;
    }
    sendError(res, error, at);
  } catch {
    res.destroy();
  }
}
