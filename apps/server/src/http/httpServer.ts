import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { DomainError } from '../errors/domainError';
import type { Metrics } from '../metrics/metrics';
import { appRouter } from '../trpc/appRouter';
import { contextFactory, requestIds, type ServerDeps } from '../trpc/context';
import { checkHealth } from './healthRoute';
import { createAdmission, trpcCalls } from './admission';
import { originAllowed } from './allowedOrigins';
import { answerLastResort } from './lastResort';
import { sendError, sendJson } from './respond';
import { handleRest } from './restHandler';
import { handleBrowserSession, SESSION_PATH } from '../web/browserSession';
import { dashboardFiles } from '../web/dashboardFiles';
import { createTrpcWebSocketServer, type TrpcWebSocketServer } from './wsServer';

export interface RunningHttpServer {
  url: string;
  port: number;
  webSockets: Pick<TrpcWebSocketServer, 'connections' | 'reconnectAll' | 'terminateAll'>;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  readonly code = 'SERVER.PORT_IN_USE';
}

const REQUEST_ID = /^[\w.:-]{1,100}$/;

/**
 * The HTTP front: `/health`, `/metrics`, the REST bridge under `/api`, tRPC under `/trpc` (HTTP)
 * and `/trpc` (WebSocket upgrade). Every request gets a request id (echoed as x-request-id) and
 * one structured log line; clients over their rate get 429.
 */
export async function startHttpServer(
  deps: ServerDeps,
  metrics: Metrics,
  listen: { host: string; port: number },
): Promise<RunningHttpServer> {
  const { config, logger } = deps;
  const admission = createAdmission(deps);
  const createContext = contextFactory(deps);
  const trpc = createHTTPHandler({
    router: appRouter,
    createContext,
    basePath: '/trpc/',
    maxBodySize: config.NEXUS_MAX_BODY_BYTES,
    maxBatchSize: config.NEXUS_TRPC_MAX_BATCH,
    onError: ({ error, path, ctx }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        (ctx?.log ?? logger).error({ err: error.cause ?? error, path }, 'procedure failed');
    },
  });
  const ws = createTrpcWebSocketServer(deps);
  const dashboard = dashboardFiles(config.NEXUS_DASHBOARD_DIR);

  /** Every request spends from its client's bucket (a tRPC batch: one token per call); over it, 429. */
  const limited = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    requestId: string,
    calls = 1,
  ): Promise<boolean> => {
    const taken = await admission.admit(req, calls);
    if (taken.ok) return false;
    res.setHeader('retry-after', String(taken.retryAfterSeconds));
    sendError(
      res,
      new DomainError('REQUEST.RATE_LIMITED', `too many requests: try again in ${taken.retryAfterSeconds} s`),
      { requestId },
    );
    return true;
  };

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const started = performance.now();
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    requestIds.set(req, requestId);
    res.setHeader('x-request-id', requestId);
    const log = logger.child({ requestId });
    let pathname = '/';
    let search = new URLSearchParams();
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      pathname = url.pathname;
      search = url.searchParams;
    } catch {
      // a request line that is no URL: answered as not found below
    }
    // Read now: by the time the answer is finished the socket may be gone.
    const client = deps.proxies.clientAddress(req);
    res.on('finish', () => {
      const level =
        res.statusCode >= 500 ? 'error' : res.statusCode === 401 || res.statusCode === 403 ? 'warn' : 'info';
      log[level](
        {
          method: req.method,
          path: pathname,
          status: res.statusCode,
          ms: Number((performance.now() - started).toFixed(1)),
          client,
        },
        'request',
      );
    });
    void (async () => {
      const isTrpc = pathname === '/trpc' || pathname.startsWith('/trpc/');
      if (await limited(req, res, requestId, isTrpc ? trpcCalls(pathname, search) : 1)) return;
      if (req.method === 'GET' && pathname === '/health') {
        const health = await checkHealth(deps.db, deps.engine).catch((error: unknown) => ({
          status: 'degraded' as const,
          error: String(error),
        }));
        return sendJson(res, health.status === 'ok' ? 200 : 503, health);
      }
      if (req.method === 'GET' && pathname === '/metrics') {
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' });
        return void res.end(text);
      }
      if (isTrpc) return trpc(req, res);
      if (pathname === SESSION_PATH || pathname.startsWith(`${SESSION_PATH}/`)) {
        const base = { deps, requestId, clientAddress: client, log };
        try {
          if (await handleBrowserSession(base, req, res, pathname)) return;
        } catch (error) {
          return sendError(res, error, { requestId, path: pathname, log });
        }
      }
      // `/identify` sits at the root, where clients of the Bitespeed contract post.
      if (pathname.startsWith('/api/') || pathname === '/identify') {
        return handleRest(deps, { deps, requestId, clientAddress: client, log }, req, res, pathname);
      }
      if (await dashboard(req, res, pathname)) return;
      sendError(res, new DomainError('REQUEST.NOT_FOUND', `no route ${req.method ?? ''} ${pathname}`), {
        requestId,
      });
    })().catch((error: unknown) => answerLastResort(res, error, { requestId, path: pathname, log }));
  };

  const server = http.createServer((req, res) => {
    try {
      handleRequest(req, res);
    } catch (error) {
      answerLastResort(res, error, {
        requestId: requestIds.get(req) ?? '',
        path: req.url ?? '',
        log: logger,
      });
    }
  });

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname = '/';
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      // not a URL: not found below
    }
    const requestId = randomUUID();
    requestIds.set(req, requestId);
    if (pathname !== '/trpc') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    if (!originAllowed(req, config.NEXUS_ALLOWED_ORIGINS, deps.proxies)) {
      logger.warn(
        { requestId, origin: req.headers.origin, client: deps.proxies.clientAddress(req) },
        'WebSocket origin refused',
      );
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    void admission
      .admit(req)
      .then((taken) => {
        if (taken.ok) return ws.handleUpgrade(req, socket, head);
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nretry-after: ${taken.retryAfterSeconds}\r\nconnection: close\r\n\r\n`,
        );
      })
      // Admission or the upgrade itself failed: logged, the socket closed, the server goes on.
      .catch((error: unknown) => {
        logger.error({ err: error, requestId }, 'WebSocket upgrade failed');
        socket.destroy();
      });
  };

  server.on('upgrade', (req, socket: Duplex, head: Buffer) => {
    try {
      upgrade(req, socket, head);
    } catch (error) {
      logger.error({ err: error, path: req.url }, 'websocket upgrade failed');
      socket.destroy();
    }
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  server.keepAliveTimeout = 5000;
  server.requestTimeout = 5 * 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(
              `port ${listen.port} on ${listen.host} is in use: stop the other server or set PORT`,
            )
          : error,
      ),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${listen.host}:${actual}`,
    port: actual,
    webSockets: ws,
    close: async () => {
      await ws.close();
      await new Promise<void>((resolve) => {
        // Long-lived responses (SSE subscriptions) would hold close() open: cut them after a grace period.
        const force = setTimeout(() => server.closeAllConnections(), 2000).unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    },
  };
}
