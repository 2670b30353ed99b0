import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CreateHTTPContextOptions } from '@trpc/server/adapters/standalone';
import type { CreateWSSContextFnOptions } from '@trpc/server/adapters/ws';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import { authenticate, bearerToken, type AuthDeps } from '../auth/authService';
import type { Principal } from '../auth/roles';
import type { Config } from '../config';
import type { Engine } from '../engine/engine';
import type { RateLimiter } from '../http/rateLimiter';
import type { IdentifyMonitor } from '../identify/identifyMonitor';
import type { LiveHub } from '../live/liveHub';
import type { AccountSessions } from '../users/accountSessions';

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
  /** `/identify` calls, reported for metrics and the live overview. */
  identify: IdentifyMonitor;
}

export interface Context {
  deps: ServerDeps;
  principal: Principal | null;
  requestId: string;
  /** The client's address, for sign-in throttling and logs. */
  clientAddress: string;
  log: Logger;
}

/** Request ids given by the HTTP front to each request, read back here. */
export const requestIds = new WeakMap<IncomingMessage, string>();

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
    const auth = await authenticate(deps.auth, credential);
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
      clientAddress: opts.req.socket.remoteAddress ?? 'unknown',
      log,
    };
  };
}
