import { createNexusTrpcClient, type NexusTrpcClient } from '@nexus/server/trpc-client';
import type { Session } from './session';

export type Api = NexusTrpcClient;

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The dashboard's one tRPC client, built as every Nexus client is (nexusTrpcClient.ts): the
 * access token from the in-memory session, the WebSocket kept 5 s after the last subscription so
 * moving between pages does not reconnect, and the live badge told when it opens and closes.
 */
export function createApi(session: Session, onConnection?: (state: ConnectionState) => void): Api {
  return createNexusTrpcClient({
    url: window.location.origin,
    token: () => session.accessToken(),
    closeIdleMs: 5_000,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    onWsOpen: () => onConnection?.('open'),
    onWsClose: () => onConnection?.('closed'),
  }).trpc;
}
