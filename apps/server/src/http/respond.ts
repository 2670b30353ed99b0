import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { describeError } from '../errors/errorMapping';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * Any failure answered the one way: status and body from the error table (docs/decisions/0006),
 * with the request id so a caller can quote it. Unknown errors become a bare 500.
 */
export function sendError(
  res: ServerResponse,
  error: unknown,
  at: { requestId: string; path?: string; log?: Logger },
): void {
  const described = describeError(error);
  if (described.internal) at.log?.error({ err: error, path: at.path }, 'request failed');
  // An oversized body may still be arriving: close rather than read it.
  if (described.status === 413) res.setHeader('connection', 'close');
  if (described.status === 401) res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, described.status, { error: described.body, requestId: at.requestId });
}

const drainedOrClosed = (res: ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * A download written chunk by chunk, waiting when the client reads slowly. Once the first byte is
 * out an error can no longer become a JSON reply: the connection is cut so the file is visibly
 * incomplete rather than silently short.
 */
export async function sendFile(
  res: ServerResponse,
  status: number,
  file: { contentType: string; filename: string; chunks: AsyncIterable<string> },
): Promise<void> {
  res.writeHead(status, {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.filename.replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'no-store',
  });
  try {
    for await (const chunk of file.chunks) {
      if (res.destroyed) return; // the client went away: stop reading the database
      if (!res.write(chunk)) await drainedOrClosed(res);
    }
    res.end();
  } catch (error) {
    res.destroy(error as Error);
    throw error;
  }
}
