import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** People as CSV rows with a `rec_id` column (to be mapped to external_id), numbered from `from`. */
export function peopleCsv(count: number, from = 1): string {
  const rows = ['rec_id,given_name,family_name,date_of_birth'];
  for (let i = from; i < from + count; i++)
    rows.push(`p${i},Given${i},Family${i},19${50 + (i % 40)}-0${1 + (i % 9)}-1${i % 9}`);
  return `${rows.join('\n')}\n`;
}

export interface TestFileServer {
  url: string;
  /** Requests seen, with their Authorization header. */
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

export type Answer = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

/** A real HTTP server of the test: each request is answered by `answer` (n counts requests from 1). */
export async function startFileServer(answer: Answer): Promise<TestFileServer> {
  const requests: TestFileServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    answer(req, res, requests.length);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends the first `bytes` of `body` with its full Content-Length, then resets the connection. */
export function resetAfter(res: http.ServerResponse, body: string, bytes: number): void {
  res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(body) });
  res.write(body.slice(0, bytes), () => setTimeout(() => res.socket?.resetAndDestroy(), 50));
}

/** Sends `body` a slice at a time, `delayMs` apart (a slow source, to cancel or stop mid-fetch). */
export function trickle(res: http.ServerResponse, body: string, sliceBytes: number, delayMs: number): void {
  res.writeHead(200, { 'content-type': 'text/csv' });
  let at = 0;
  const next = () => {
    if (res.destroyed) return;
    if (at >= body.length) return void res.end();
    res.write(body.slice(at, at + sliceBytes));
    at += sliceBytes;
    setTimeout(next, delayMs);
  };
  next();
}
