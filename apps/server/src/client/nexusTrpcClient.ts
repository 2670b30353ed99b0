import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import type { AppRouter } from '../trpc/appRouter';

export type NexusTrpcClient = TRPCClient<AppRouter>;

export interface NexusTrpcClientOptions {
  /** The server's base URL (http or https); tRPC lives under /trpc on it, the WebSocket too. */
  url: string;
  /** The bearer credential for each request and each (re)connect: an access token or an API key. */
  token: () => string | Promise<string>;
  /** The WebSocket class: the browser's, or the `ws` package's on Node 20. */
  WebSocket?: typeof globalThis.WebSocket;
  /** Milliseconds the idle WebSocket stays open after the last subscription ends. */
  closeIdleMs?: number;
  retryDelayMs?: (attempt: number) => number;
  onWsOpen?: () => void;
  onWsClose?: (cause?: { code?: number }) => void;
}

/**
 * The links every Nexus client uses, in Node and in the browser (no Node import here): queries
 * and mutations over HTTP, batched; subscriptions over one lazy WebSocket that reconnects by
 * itself, tracked subscriptions resuming from their lastEventId.
 */
export function createNexusTrpcClient(options: NexusTrpcClientOptions): {
  trpc: NexusTrpcClient;
  close: () => Promise<void>;
} {
  const base = options.url.replace(/\/+$/, '');
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    connectionParams: async () => ({ token: await options.token() }),
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    lazy: { enabled: true, closeMs: options.closeIdleMs ?? 0 },
    retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.min(5000, 100 * 2 ** attempt)),
    onOpen: options.onWsOpen,
    onClose: options.onWsClose,
  });
  const trpc = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          headers: async () => ({ authorization: `Bearer ${await options.token()}` }),
          // Large batches go one per request: batching them would only add up the body sizes.
          maxItems: 10,
        }),
      }),
    ],
  });
  return { trpc, close: () => wsClient.close() };
}
