import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { DomainError } from '../errors/domainError';
import { appRouter } from '../trpc/appRouter';
import { contextFactory, type ServerDeps } from '../trpc/context';
import { apiKeySession, SESSION_ENDED_CLOSE_CODE } from '../users/accountSessions';
import { RateLimiter } from './rateLimiter';

/** Sent to a connection that sends more messages than NEXUS_WS_MESSAGES_PER_SECOND / _BURST allow. */
export const TOO_MANY_MESSAGES_CLOSE_CODE = 4429;

/**
 * Drops a connection's messages beyond its rate and closes it: tRPC never sees them. The check
 * sits in front of every 'message' listener, which a listener of our own could not be.
 */
function limitMessages(ws: WebSocket, ratePerSecond: number, burst: number): void {
  const bucket = new RateLimiter(ratePerSecond, burst, 1);
  const deliver = ws.emit.bind(ws) as (event: string | symbol, ...args: unknown[]) => boolean;
  (ws as unknown as { emit: typeof deliver }).emit = (event, ...args) => {
    if (event !== 'message') return deliver(event, ...args);
    if (ws.readyState !== ws.OPEN) return false;
    if (bucket.take('connection').ok) return deliver(event, ...args);
    ws.close(TOO_MANY_MESSAGES_CLOSE_CODE, `too many messages: at most ${ratePerSecond} a second`);
    return false;
  };
}

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

/**
 * tRPC over WebSocket (subscriptions): keep-alive pings, a maximum message size and rate, the same
 * context as HTTP. A connection authenticated by an access token is closed when the token expires
 * (4401): HTTP would refuse it from then on, so must the socket; the client reconnects with a fresh one.
 */
export function createTrpcWebSocketServer(deps: ServerDeps): TrpcWebSocketServer {
  const { config } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.NEXUS_WS_MAX_PAYLOAD_BYTES });
  const createContext = contextFactory(deps);
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    maxBatchSize: config.NEXUS_TRPC_MAX_BATCH,
    createContext: async (opts) => {
      const ctx = await createContext(opts);
      const socket = opts.res;
      if (ctx.principal)
        deps.sessions.track(
          ctx.principal.userId,
          socket,
          ctx.token?.sessionId ?? (ctx.apiKeyId ? apiKeySession(ctx.apiKeyId) : undefined),
        );
      if (ctx.token) {
        const expiry = setTimeout(
          () => socket.close(SESSION_ENDED_CLOSE_CODE, 'access token expired: reconnect with a fresh one'),
          Math.max(0, ctx.token.expiresAt - Date.now()),
        ).unref();
        socket.once('close', () => clearTimeout(expiry));
      }
      return { ...ctx, connection: { subscriptions: 0 } };
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
      wss.handleUpgrade(req, socket, head, (ws) => {
        limitMessages(ws, config.NEXUS_WS_MESSAGES_PER_SECOND, config.NEXUS_WS_MESSAGE_BURST);
        wss.emit('connection', ws, req);
      }),
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
