import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCClient,
  type TRPCLink,
} from '@trpc/client';
import { observable } from '@trpc/server/observable';
import type { AppRouter } from './appRouter.js';
import { credentialsOf, type NexusAuth } from './credentials.js';
import { NexusError } from './errors.js';
import { retryingFetch, type RetryPolicy } from './retryingFetch.js';
import { API_VERSION_HEADER, NEXUS_API_VERSION } from './version.js';

export type NexusTrpcClient = TRPCClient<AppRouter>;

export interface NexusClient {
  /**
   * Every procedure of the server, typed: queries and mutations over HTTP (batched),
   * subscriptions over one WebSocket. Each takes `{ signal }` as its last argument to abort it;
   * each fails with a NexusError.
   */
  trpc: NexusTrpcClient;
  /** Closes the WebSocket (if one was opened). */
  close(): Promise<void>;
}

export interface NexusClientOptions {
  /** The WebSocket class; the browser's (or Node's global one) by default, `ws` on Node 20. */
  WebSocket?: typeof globalThis.WebSocket;
  /** fetch for HTTP calls (default: the global one). */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** Retries of calls refused for load (429, 503); `{ retries: 0 }` turns them off. */
  retry?: RetryPolicy;
  /** Milliseconds the idle WebSocket stays open after the last subscription ends (default 0). */
  closeIdleMs?: number;
  /** Milliseconds to wait before WebSocket reconnect attempt `attempt` (default: 100 ms doubling to 5 s). */
  retryDelayMs?: (attempt: number) => number;
  onWsOpen?: () => void;
  /** Called when the WebSocket closes (e.g. the server restarts); the client reconnects by itself. */
  onWsClose?: (cause?: { code?: number }) => void;
}

/**
 * A typed client of a Nexus server at `url` (its base, e.g. http://127.0.0.1:3000), acting as
 * `auth`: an API key, a person's sign-in (kept fresh), or a bearer token. Queries and mutations
 * go over HTTP, batched; subscriptions over one lazy WebSocket that reconnects by itself, tracked
 * subscriptions resuming after the last event they saw.
 */
export function createNexusClient(
  url: string,
  auth: NexusAuth,
  options: NexusClientOptions = {},
): NexusClient {
  const base = url.replace(/\/+$/, '');
  const fetchFn = retryingFetch(options.retry, options.fetch);
  const versionHeader = { [API_VERSION_HEADER]: String(NEXUS_API_VERSION) };
  const credentials = credentialsOf(auth, base, fetchFn, versionHeader);
  const wsClient = createWSClient({
    url: `${base.replace(/^http/, 'ws')}/trpc`,
    connectionParams: async () => ({
      token: await credentials.token(),
      apiVersion: String(NEXUS_API_VERSION),
    }),
    ...(options.WebSocket ? { WebSocket: options.WebSocket } : {}),
    lazy: { enabled: true, closeMs: options.closeIdleMs ?? 0 },
    retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.min(5000, 100 * 2 ** attempt)),
    onOpen: options.onWsOpen,
    onClose: options.onWsClose,
  });
  let lastToken = '';
  const trpc = createTRPCClient<AppRouter>({
    links: [
      nexusErrors((error) => {
        if (error.code === 'AUTH.UNAUTHENTICATED' && lastToken) credentials.rejected(lastToken);
      }),
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          fetch: fetchFn,
          headers: async () => {
            lastToken = await credentials.token();
            return { ...versionHeader, authorization: `Bearer ${lastToken}` };
          },
          // Large batches go one per request: batching them would only add up the body sizes.
          maxItems: 10,
        }),
      }),
    ],
  });
  return { trpc, close: () => wsClient.close() };
}

/** Every failure reaches the caller as a NexusError, whatever link it came from. */
function nexusErrors(onError: (error: NexusError) => void): TRPCLink<AppRouter> {
  return () =>
    ({ next, op }) =>
      observable((observer) => {
        const subscription = next(op).subscribe({
          next: (value) => observer.next(value),
          error: (error) => {
            const nexus = NexusError.of(error);
            onError(nexus);
            observer.error(nexus);
          },
          complete: () => observer.complete(),
        });
        return () => subscription.unsubscribe();
      });
}
