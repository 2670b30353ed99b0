import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCClient,
} from '@trpc/client';
import type { AppRouter } from '@nexus/server';
import type { Session } from './session';

export type Api = TRPCClient<AppRouter>;

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The dashboard's one tRPC client: queries and mutations over HTTP (batched), subscriptions over
 * one WebSocket that reconnects by itself; tracked subscriptions resume from their lastEventId.
 */
export function createApi(session: Session, onConnection?: (state: ConnectionState) => void): Api {
  const origin = window.location.origin;
  const wsClient = createWSClient({
    url: `${origin.replace(/^http/, 'ws')}/trpc`,
    connectionParams: async () => ({ token: await session.accessToken() }),
    lazy: { enabled: true, closeMs: 5_000 },
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    onOpen: () => onConnection?.('open'),
    onClose: () => onConnection?.('closed'),
  });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink<AppRouter>({ client: wsClient }),
        false: httpBatchLink({
          url: `${origin}/trpc`,
          headers: async () => ({ authorization: `Bearer ${await session.accessToken()}` }),
          maxItems: 10,
        }),
      }),
    ],
  });
}
