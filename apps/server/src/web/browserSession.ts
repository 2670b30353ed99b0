import type { IncomingMessage, ServerResponse } from 'node:http';
import { loginInput } from '@nexus/schema';
import { throttledLogin } from '../auth/throttledAuth';
import { authenticate, refresh, type TokenPair } from '../auth/authService';
import { AuthError } from '../auth/authErrors';
import { revokeRefreshFamily } from '../auth/refreshTokens';
import { RequestError } from '../errors/domainError';
import { zodFieldErrors } from '../errors/errorMapping';
import { readJsonBody } from '../rest/readJsonBody';
import type { Context } from '../trpc/context';
import { sendJson } from '../http/respond';

export const SESSION_PATH = '/api/v1/session';
const COOKIE = 'nexus_session';
/** Sent by the dashboard only: a cross-site form cannot set it, and without CORS a script on another origin cannot either. */
export const SESSION_HEADER = 'x-nexus-dashboard';

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function isHttps(req: IncomingMessage): boolean {
  return (
    (req.socket as { encrypted?: boolean } | null)?.encrypted === true ||
    req.headers['x-forwarded-proto'] === 'https'
  );
}

function setCookie(req: IncomingMessage, res: ServerResponse, token: string | null, maxAgeSeconds: number) {
  const attributes = [
    `${COOKIE}=${token ? encodeURIComponent(token) : ''}`,
    `Path=${SESSION_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${token ? maxAgeSeconds : 0}`,
  ];
  if (isHttps(req)) attributes.push('Secure');
  res.setHeader('set-cookie', attributes.join('; '));
}

/**
 * The dashboard's session (docs/decisions/0016-dashboard-session.md): the refresh token lives in
 * an HttpOnly, SameSite=Strict cookie scoped to this path, the short-lived access token only in
 * the page's memory, so no token is ever in localStorage or readable by a script.
 *   POST   /api/v1/session          sign in (JSON username, password)
 *   POST   /api/v1/session/refresh  a new access token from the cookie (rotating it)
 *   DELETE /api/v1/session          sign out (revokes the cookie's token family)
 * Returns true when the request was one of these.
 */
export async function handleBrowserSession(
  ctx: Omit<Context, 'principal'>,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
): Promise<boolean> {
  if (pathname !== SESSION_PATH && pathname !== `${SESSION_PATH}/refresh`) return false;
  const { deps } = ctx;
  const ttl = deps.config.NEXUS_REFRESH_TOKEN_TTL;
  const answer = async (pair: TokenPair) => {
    setCookie(req, res, pair.refreshToken, ttl);
    const auth = await authenticate(deps.auth, pair.accessToken);
    sendJson(res, 200, { accessToken: pair.accessToken, expiresIn: pair.expiresIn, user: auth.principal });
  };
  if (req.headers[SESSION_HEADER] !== '1') {
    throw new RequestError('REQUEST.INVALID', `the dashboard session needs the ${SESSION_HEADER}: 1 header`);
  }
  if (pathname === SESSION_PATH && req.method === 'POST') {
    const parsed = loginInput.safeParse(await readJsonBody(req, 64 * 1024));
    if (!parsed.success) {
      throw new RequestError('REQUEST.INVALID', 'the request is invalid', {
        fields: zodFieldErrors(parsed.error),
      });
    }
    await answer(await throttledLogin(ctx, parsed.data));
    return true;
  }
  if (pathname === `${SESSION_PATH}/refresh` && req.method === 'POST') {
    const presented = cookieOf(req);
    if (!presented) throw new AuthError('AUTH.REFRESH_INVALID', 'no session: sign in');
    try {
      await answer(await refresh(deps.auth, presented));
    } catch (error) {
      setCookie(req, res, null, 0);
      throw error;
    }
    return true;
  }
  if (pathname === SESSION_PATH && req.method === 'DELETE') {
    const presented = cookieOf(req);
    const ended = presented ? await revokeRefreshFamily(deps.db, presented) : undefined;
    if (ended) deps.sessions.closeSession(ended);
    setCookie(req, res, null, 0);
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
    return true;
  }
  const allowed = pathname === SESSION_PATH ? 'POST, DELETE' : 'POST';
  res.setHeader('allow', allowed);
  throw new RequestError('REQUEST.METHOD_NOT_ALLOWED', `use ${allowed} on ${pathname}`);
}
