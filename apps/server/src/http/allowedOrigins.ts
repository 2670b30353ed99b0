import type { IncomingMessage } from 'node:http';
import type { TrustedProxies } from './trustedProxies';
import { required } from '@nexus/schema';

/** `scheme://host[:port]` of an origin or URL, lower case, default ports dropped; null if it is none. */
export function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    if (url.pathname !== '/' || url.search || url.hash || url.username) return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * Whether a WebSocket upgrade may proceed as far as its Origin goes. A browser always sends
 * Origin; a page on another site must not open a socket with the user's token (cross-site
 * WebSocket hijacking), so only the server's own origin (the Host the client used, or the one a
 * trusted proxy forwards) and NEXUS_ALLOWED_ORIGINS pass. No Origin: not a browser, let in (it
 * still has to authenticate).
 */
export function originAllowed(
  req: IncomingMessage,
  allowed: readonly string[],
  proxies: TrustedProxies,
): boolean {
  const sent = req.headers.origin;
  if (sent === undefined) return true;
  const origin = originOf(sent);
  if (!origin) return false;
  if (allowed.includes(origin)) return true;
  const forwarded = proxies.has(proxies.peerAddress(req)) ? req.headers['x-forwarded-host'] : undefined;
  const host =
    (typeof forwarded === 'string'
      ? required(forwarded.split(',')[0], 'first host of X-Forwarded-Host').trim()
      : undefined) ?? req.headers.host;
  if (!host) return false;
  return new URL(origin).host === hostWithoutDefaultPort(host, new URL(origin).protocol);
}

function hostWithoutDefaultPort(host: string, protocol: string): string {
  const lower = host.toLowerCase();
  if (protocol === 'https:' && lower.endsWith(':443')) return lower.slice(0, -4);
  if (protocol === 'http:' && lower.endsWith(':80')) return lower.slice(0, -3);
  return lower;
}
