import { createNexusClient, type NexusTrpcClient } from '@nexus/client';
import type { Session } from './session';

export type Api = NexusTrpcClient;

export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The dashboard's one tRPC client, @nexus/client as every Nexus client: the access token from the
 * in-memory session (which renews it), the WebSocket kept 5 s after the last subscription so
 * moving between pages does not reconnect, and the live badge told when it opens and closes.
 */
export function createApi(session: Session, onConnection?: (state: ConnectionState) => void): Api {
  return createNexusClient(window.location.origin, () => session.accessToken(), {
    closeIdleMs: 5_000,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    onWsOpen: () => onConnection?.('open'),
    onWsClose: () => onConnection?.('closed'),
  }).trpc;
}
