import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { DomainError } from '../errors/domainError';
import { appRouter } from '../trpc/appRouter';
import { contextFactory, type ServerDeps } from '../trpc/context';

export interface TrpcWebSocketServer {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Open connections. */
  connections(): number;
  /** Asks every client to reconnect now (before a deploy); their subscriptions resume. */
  reconnectAll(): void;
  /** Cuts every connection without a word, as a network failure would. */
  terminateAll(): void;
  /** Tells every client to reconnect (they will, to another server or after the restart), then closes. */
  close(): Promise<void>;
}

/** tRPC over WebSocket (subscriptions): keep-alive pings, a maximum message size, the same context as HTTP. */
export function createTrpcWebSocketServer(deps: ServerDeps): TrpcWebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.NEXUS_WS_MAX_PAYLOAD_BYTES });
  const createContext = contextFactory(deps);
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: async (opts) => {
      const ctx = await createContext(opts);
      if (ctx.principal) deps.sessions.track(ctx.principal.userId, opts.res);
      return ctx;
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    onError: ({ error, path }) => {
      // A domain error (an unknown batch) is the client's, answered with its code: not logged as a failure.
      if (error.code === 'INTERNAL_SERVER_ERROR' && !(error.cause instanceof DomainError))
        deps.logger.error({ err: error.cause ?? error, path }, 'subscription failed');
    },
  });
  return {
    handleUpgrade: (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
    connections: () => wss.clients.size,
    reconnectAll: () => handler.broadcastReconnectNotification(),
    terminateAll: () => {
      for (const client of wss.clients) client.terminate();
    },
    close: async () => {
      handler.broadcastReconnectNotification();
      // Give the notification a moment to leave, then close what is left.
      await new Promise((resolve) => setTimeout(resolve, 100).unref());
      for (const client of wss.clients) client.close(1012, 'server restarting');
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          for (const client of wss.clients) client.terminate();
        }, 1000).unref();
        wss.close(() => {
          clearTimeout(force);
          resolve();
        });
      });
    },
  };
}
