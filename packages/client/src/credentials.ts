import { NexusError } from './errors.js';

/** An access token and the refresh token that renews it, as sign-in answers them. */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token is valid for, from when it was issued. */
  expiresIn: number;
}

/**
 * Who the client acts as:
 * - `{ apiKey }`: a service account's API key (never expires; no refresh),
 * - `{ username, password }`: a person, signed in on first use and kept signed in by refreshing,
 * - `{ tokens }`: a person already signed in (e.g. by another process), kept signed in likewise,
 * - a string or a function giving the current bearer credential, for callers that manage it.
 */
export type NexusAuth =
  | { apiKey: string }
  | { username: string; password: string; onTokens?: (tokens: TokenPair) => void }
  | { tokens: TokenPair; onTokens?: (tokens: TokenPair) => void }
  | string
  | (() => string | Promise<string>);

/** Renew the access token this long before it expires, so no call carries a token about to lapse. */
const REFRESH_MARGIN_MS = 30_000;

export interface Credentials {
  /** The bearer credential for the next call. */
  token(): Promise<string>;
  /** The server refused the token: drop it so that the next call signs in or refreshes anew. */
  rejected(token: string): void;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

export function credentialsOf(
  auth: NexusAuth,
  baseUrl: string,
  fetchFn: Fetch,
  headers: Record<string, string>,
): Credentials {
  if (typeof auth === 'string') return { token: () => Promise.resolve(auth), rejected: () => undefined };
  if (typeof auth === 'function') return { token: async () => auth(), rejected: () => undefined };
  if ('apiKey' in auth) return { token: () => Promise.resolve(auth.apiKey), rejected: () => undefined };
  return personCredentials(auth, baseUrl, fetchFn, headers);
}

/**
 * A person's session: the access token is renewed by its refresh token shortly before it
 * expires (one renewal at a time, whatever the number of calls waiting); when the refresh token
 * is refused and a password was given, the person signs in again.
 */
function personCredentials(
  auth:
    | { username: string; password: string; onTokens?: (t: TokenPair) => void }
    | { tokens: TokenPair; onTokens?: (t: TokenPair) => void },
  baseUrl: string,
  fetchFn: Fetch,
  headers: Record<string, string>,
): Credentials {
  let current: { pair: TokenPair; expiresAt: number } | undefined =
    'tokens' in auth
      ? { pair: auth.tokens, expiresAt: Date.now() + auth.tokens.expiresIn * 1000 }
      : undefined;
  let renewing: Promise<TokenPair> | undefined;

  const call = async (path: string, body: unknown): Promise<TokenPair> => {
    const response = await fetchFn(`${baseUrl}/api/v1/auth/${path}`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = (await response.json().catch(() => ({}))) as {
      error?: { code?: string; message?: string; fields?: Array<{ field: string; message: string }> };
    } & Partial<TokenPair>;
    if (!response.ok || !answer.accessToken) {
      throw new NexusError(answer.error?.message ?? `sign-in failed (${response.status})`, {
        code: (answer.error?.code ?? 'AUTH.UNAUTHENTICATED') as NexusError['code'],
        status: response.status,
        fields: answer.error?.fields ?? [],
      });
    }
    return answer as TokenPair;
  };

  const renew = async (): Promise<TokenPair> => {
    if (current) {
      try {
        return await call('refresh', { refreshToken: current.pair.refreshToken });
      } catch (error) {
        if (!('password' in auth)) throw error;
      }
    }
    if (!('password' in auth))
      throw new NexusError('signed out: sign in again', { code: 'AUTH.REFRESH_INVALID', status: 401 });
    return call('login', { username: auth.username, password: auth.password });
  };

  return {
    async token() {
      if (current && current.expiresAt - REFRESH_MARGIN_MS > Date.now()) return current.pair.accessToken;
      renewing ??= renew()
        .then((pair) => {
          current = { pair, expiresAt: Date.now() + pair.expiresIn * 1000 };
          auth.onTokens?.(pair);
          return pair;
        })
        .finally(() => (renewing = undefined));
      return (await renewing).accessToken;
    },
    rejected(token) {
      if (current?.pair.accessToken === token) current = { ...current, expiresAt: 0 };
    },
  };
}
