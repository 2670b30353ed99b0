import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '@nexus/actors';
import { identifyInput } from '@nexus/schema';
import { contactRequest } from '../apps/server/src/identify/contactValues';
import { identifyContact } from '../apps/server/src/identify/identifyContact';

export interface PlainIdentifyServer {
  url: string;
  close(): Promise<void>;
}

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * The ceiling bench:identify compares the API with: the same validation and the same
 * reconciliation transaction behind a bare Node handler (no auth, routing, rate limit, request id,
 * log line, metrics), on a pool of its own as large as the server's.
 */
export async function startPlainIdentifyServer(db: Db): Promise<PlainIdentifyServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const input = identifyInput.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!input.success) return send(res, 400, { error: input.error.issues });
        const result = await identifyContact(db, contactRequest(input.data, undefined), 'bench');
        send(res, 200, { contact: result.contact });
      })().catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
  });
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
