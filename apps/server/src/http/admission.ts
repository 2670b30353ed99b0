import type { IncomingMessage } from 'node:http';
import { authenticate } from '../auth/authService';
import { credentialOf, requestAuthentications, type ServerDeps } from '../trpc/context';
import { RateLimiter, type RateDecision } from './rateLimiter';
import { addressKey } from './trustedProxies';

/**
 * The request rate limit (NEXUS_RATE_LIMIT_*). A bucket belongs to the account once its
 * credential verifies, else to the client address: a made-up token buys no bucket of its own.
 * The credential is checked here once; the tRPC and REST contexts reuse the answer.
 */
export function createAdmission(deps: ServerDeps) {
  const { config } = deps;
  const limiter = new RateLimiter(
    config.NEXUS_RATE_LIMIT_RPS,
    config.NEXUS_RATE_LIMIT_BURST,
    config.NEXUS_RATE_LIMIT_MAX_CLIENTS,
  );
  return {
    limiter,
    async admit(req: IncomingMessage, cost = 1): Promise<RateDecision> {
      const credential = credentialOf(req, null);
      const auth = credential ? await authenticate(deps.auth, credential) : { principal: null };
      if (credential) requestAuthentications.set(req, { credential, auth });
      const key = auth.principal ? `u:${auth.principal.userId}` : addressKey(deps.proxies.clientAddress(req));
      return limiter.take(key, Date.now(), cost);
    },
  };
}

/** The calls a tRPC request makes: `/trpc/a,b,c?batch=1` is three. */
export function trpcCalls(pathname: string, search: URLSearchParams): number {
  if (search.get('batch') !== '1') return 1;
  return pathname.slice('/trpc/'.length).split(',').length;
}
