import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import { WebSocket as NodeWebSocket } from 'ws';
import type { AppRouter } from '../trpc/appRouter';

/** Node 20 has no global WebSocket: the `ws` package stands in. */
const WebSocketImpl = globalThis.WebSocket ?? (NodeWebSocket as unknown as typeof globalThis.WebSocket);

export type NexusTrpcClient = TRPCClient<AppRouter>;

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
  const base = url.replace(/\/+$/, '');
  const currentToken = async () => (typeof token === 'function' ? token() : token);
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    connectionParams: async () => ({ token: await currentToken() }),
    WebSocket: WebSocketImpl,
    lazy: { enabled: true, closeMs: 0 },
    retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.min(5000, 100 * 2 ** attempt)),
    onClose: options.onWsClose,
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          headers: async () => ({ authorization: `Bearer ${await currentToken()}` }),
          // Large batches go one per request: batching them would only add up the body sizes.
          maxItems: 10,
        }),
      }),
    ],
  });
  return { trpc, close: () => wsClient.close() };
}
