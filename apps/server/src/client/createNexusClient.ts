import { WebSocket as NodeWebSocket } from 'ws';
import { createNexusTrpcClient, type NexusTrpcClient } from './nexusTrpcClient';

/** Node 20 has no global WebSocket: the `ws` package stands in. */
const WebSocketImpl = globalThis.WebSocket ?? (NodeWebSocket as unknown as typeof globalThis.WebSocket);

export type { NexusTrpcClient };

export interface NexusClient {
  /** Every procedure of the AppRouter, typed: queries and mutations over HTTP, subscriptions over WebSocket. */
  trpc: NexusTrpcClient;
  /** Closes the WebSocket (if one was opened). */
  close(): Promise<void>;
}

export interface NexusClientOptions {
  /** Called when the WebSocket closes (e.g. the server restarts); the client reconnects by itself. */
  onWsClose?: (cause?: { code?: number }) => void;
  /** Milliseconds to wait before reconnect attempt `attempt` (default: 100 ms doubling to 5 s). */
  retryDelayMs?: (attempt: number) => number;
}

/**
 * A typed client of a Nexus server. `token` is an access token (JWT) or a service account's API
 * key, or a function giving the current one (called for each request and on each reconnect).
 * The WebSocket opens on the first subscription and closes when none is left.
 */
export function createNexusClient(
  url: string,
  token: string | (() => string | Promise<string>),
  options: NexusClientOptions = {},
): NexusClient {
  return createNexusTrpcClient({
    url,
    token: async () => (typeof token === 'function' ? token() : token),
    WebSocket: WebSocketImpl,
    ...(options.retryDelayMs ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.onWsClose ? { onWsClose: options.onWsClose } : {}),
  });
}
