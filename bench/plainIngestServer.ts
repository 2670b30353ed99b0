import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db, RecordBus } from '@nexus/actors';
import { streamRecordInput } from '@nexus/schema';
import { streamRecord } from '../apps/server/src/ingest/streamRecord';

export interface PlainIngestServer {
  url: string;
  close(): Promise<void>;
}

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * The floor bench:api compares the API with: path B's validation and bus hand-off (the service the
 * REST route and the tRPC procedure call) behind a bare Node handler, so that what the API costs
 * above it is its own layers: routing, auth, rate limit, request id, log line, tRPC.
 */
export async function startPlainIngestServer(db: Db, bus: RecordBus): Promise<PlainIngestServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const input = streamRecordInput.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        if (!input.success) return send(res, 400, { error: input.error.issues });
        const receipt = await streamRecord(db, bus, input.data, null);
        send(res, 202, { recordId: receipt.recordId });
      })().catch((error: unknown) => send(res, 500, { error: String(error) }));
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
