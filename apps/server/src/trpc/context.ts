import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import type { CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import { authenticate, bearerToken, type AuthDeps, type Authentication } from '../auth/authService';
import type { Principal } from '../auth/roles';
import type { Config } from '../config';
import type { Engine } from '../engine/engine';
import type { RateLimiter } from '../http/rateLimiter';
import type { TrustedProxies } from '../http/trustedProxies';
import type { IdentifyMonitor } from '../identify/identifyMonitor';
import type { JobService } from '../jobs/jobService';
import type { LiveHub } from '../live/liveHub';
import type { Notifications } from '../notifications/notifications';
import type { AccountSessions } from '../users/accountSessions';
import { DASHBOARD_HEADER } from '../privacy/masking';
import { apiVersionOf } from './apiVersion';

/** What every adapter (tRPC over HTTP and WebSocket, REST, CLI) is given to call the services. */
export interface ServerDeps {
  config: Config;
  db: Db;
  engine: Engine;
  auth: AuthDeps;
  live: LiveHub;
  logger: Logger;
  /** Sign-in attempts by client address. */
  loginLimiter: RateLimiter;
  /** Open WebSocket connections by account, closed when the account is disabled. */
  sessions: AccountSessions;
  /** Whose X-Forwarded-For is believed: the client address of a request comes from here. */
  proxies: TrustedProxies;
  /** `/identify` calls, reported for metrics and the live overview. */
  identify: IdentifyMonitor;
  /** Where ABIS answers (the simulator's address when it runs here): erasure deletes face references there. */
  abisUrl?: string;
  /** The notifier port (features announce through `notifications.notifier`) and the subscriptions' services. */
  notifications: Notifications;
  /** Sources and the jobs that fetch them (docs/decisions/0033-jobs.md). */
  jobs: JobService;
}

/** What a WebSocket connection keeps across its calls. */
export interface WsConnection {
  /** Subscriptions running on it now (at most NEXUS_WS_MAX_SUBSCRIPTIONS). */
  subscriptions: number;
}

export interface Context {
  deps: ServerDeps;
  principal: Principal | null;
  requestId: string;
  /** The client's address, for sign-in throttling and logs. */
  clientAddress: string;
  log: Logger;
  /** The access token's expiry (ms since the epoch) and sign-in session, when one authenticated the call. */
  token?: { expiresAt: number; sessionId: string | undefined };
  /** The API key's id, when one authenticated the call. */
  apiKeyId?: string;
  /** The API version the client says it speaks, if it says one (checked by every procedure). */
  apiVersion?: string;
  /** Set on WebSocket calls: the connection's own state. */
  connection?: WsConnection;
  /** The dashboard asked (DASHBOARD_HEADER): national ids and phones are masked until revealed. */
  dashboard?: boolean;
}

/** Request ids given by the HTTP front to each request, read back here. */
export const requestIds = new WeakMap<IncomingMessage, string>();

/** The HTTP front authenticates a request's header credential once (to rate-limit by account); read back here. */
export const requestAuthentications = new WeakMap<
  IncomingMessage,
  { credential: string; auth: Authentication }
>();

/** The answer for a request's credential: the front's, when it checked the same one. */
export async function authenticationOf(
  deps: ServerDeps,
  req: IncomingMessage,
  credential: string | undefined,
): Promise<Authentication> {
  const known = requestAuthentications.get(req);
  if (known && known.credential === credential) return known.auth;
  return authenticate(deps.auth, credential);
}

/** The bearer credential of a request: the Authorization header, or the WebSocket connectionParams. */
export function credentialOf(
  req: IncomingMessage,
  connectionParams: Record<string, string | undefined> | null | undefined,
): string | undefined {
  const fromHeader = bearerToken(req.headers.authorization);
  if (fromHeader) return fromHeader;
  const param = connectionParams?.token ?? connectionParams?.authorization;
  if (typeof param !== 'string' || param === '') return undefined;
  return bearerToken(param) ?? param;
}

/**
 * ONE createContext for tRPC over HTTP (per request) and over WebSocket (per connection): the
 * JWT or API key comes from the Authorization header or from the connection params.
 */
export function contextFactory(deps: ServerDeps) {
  return async (opts: CreateHTTPContextOptions | CreateWSSContextFnOptions): Promise<Context> => {
    const requestId = requestIds.get(opts.req) ?? randomUUID();
    const log = deps.logger.child({ requestId });
    const credential = credentialOf(opts.req, opts.info.connectionParams);
    const auth = await authenticationOf(deps, opts.req, credential);
    const apiVersion = apiVersionOf(opts.req.headers, opts.info.connectionParams);
    if (!auth.principal && auth.failure) {
      log.warn(
        { reason: auth.failure, transport: 'res' in opts && 'ping' in opts.res ? 'ws' : 'http' },
        'authentication failed',
      );
    }
    return {
      deps,
      principal: auth.principal,
      requestId,
      clientAddress: deps.proxies.clientAddress(opts.req),
      log,
      ...(auth.principal && auth.token ? { token: auth.token } : {}),
      ...(auth.principal && auth.apiKeyId ? { apiKeyId: auth.apiKeyId } : {}),
      ...(apiVersion === undefined ? {} : { apiVersion }),
      ...(opts.req.headers[DASHBOARD_HEADER] === '1' ? { dashboard: true } : {}),
    };
  };
}
