import type { ServerResponse } from 'node:http';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
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
