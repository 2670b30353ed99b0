import { createNexusClient, type NexusTrpcClient } from '@nexus/client';
import type { Session } from './session';

export type Api = NexusTrpcClient;

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** The header that asks for answers masked as the dashboard shows them (national ids, phones). */
const DASHBOARD_HEADER = 'x-nexus-dashboard';

/** fetch, saying on every call that the dashboard asks: the server masks until a value is revealed. */
const dashboardFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
  const headers = new Headers(init?.headers);
  headers.set(DASHBOARD_HEADER, '1');
  return fetch(input, { ...init, headers });
};

/**
 * The dashboard's one tRPC client, @nexus/client as every Nexus client: the access token from the
 * in-memory session (which renews it), the WebSocket kept 5 s after the last subscription so
 * moving between pages does not reconnect, and the live badge told when it opens and closes.
 * Every call says it is the dashboard's, so national ids and phones come masked (ADR 0037).
 */
export function createApi(session: Session, onConnection?: (state: ConnectionState) => void): Api {
  return createNexusClient(window.location.origin, () => session.accessToken(), {
    fetch: dashboardFetch,
    closeIdleMs: 5_000,
    retryDelayMs: (attempt) => Math.min(5_000, 250 * 2 ** attempt),
    onWsOpen: () => onConnection?.('open'),
    onWsClose: () => onConnection?.('closed'),
  }).trpc;
}
