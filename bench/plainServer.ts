import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface PlainServer {
  url: string;
  close(): Promise<void>;
}

/** What a plain handler answers: a status and a JSON body. */
export interface PlainAnswer {
  status: number;
  body: unknown;
}

const send = (res: http.ServerResponse, { status, body }: PlainAnswer) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * A bare Node HTTP server that hands every request's parsed JSON body to `handle` (no auth,
 * routing, rate limit, request id, log line, metrics): the floor the benches compare the API
 * with. A throw answers 500 with its message.
 */
export async function startPlainServer(
  handle: (body: unknown) => Promise<PlainAnswer>,
): Promise<PlainServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => send(res, await handle(JSON.parse(Buffer.concat(chunks).toString('utf8')))))().catch(
        (error: unknown) => send(res, { status: 500, body: { error: String(error) } }),
      );
    });
  });
  // As the API server: idle keep-alive connections live 5 s.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
