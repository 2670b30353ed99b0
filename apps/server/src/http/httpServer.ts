import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Db } from '@nexus/actors';
import type { Engine } from '../engine/engine';
import { checkHealth } from './healthRoute';

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly code = 'SERVER.PORT_IN_USE';
}

function send(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The HTTP front: `/health` for now; the control plane (tRPC, REST) mounts here. */
export async function startHttpServer(db: Db, engine: Engine, host: string, port: number): Promise<RunningHttpServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/health') {
      checkHealth(db, engine).then(
        (health) => send(res, health.status === 'ok' ? 200 : 503, health),
        (error: unknown) => send(res, 503, { status: 'degraded', error: String(error) }),
      );
      return;
    }
    send(res, 404, { error: { code: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(`port ${port} on ${host} is in use: stop the other server or set PORT`)
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
