import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { checkedLookup } from '@nexus/actors';
import { FetchFailure } from './fetchFailure';
import type { SourceHosts } from './sourceHosts';
import { required } from '@nexus/schema';

const MAX_REDIRECTS = 3;

export interface UrlFetch {
  url: string;
  headers: Record<string, string>;
  hosts: SourceHosts;
  /** Longest silence (connecting, or between two chunks) before the fetch is given up as retryable. */
  idleTimeoutMs: number;
  signal: AbortSignal;
}

/**
 * Streams an http(s) source as text, under the URL policy: listed hosts only, every address DNS
 * gives checked and the socket checked once connected, redirects only to listed hosts. A 401/403,
 * a 404 or an HTML page fail at once; a 5xx, a 429, a reset or a silence are retryable.
 */
export async function* urlText(fetch: UrlFetch): AsyncGenerator<string> {
  let url = parse(fetch.url);
  for (let redirects = 0; ; redirects++) {
    const response = await get(url, fetch);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && response.headers.location) {
      response.resume();
      if (redirects >= MAX_REDIRECTS)
        throw new FetchFailure('FETCH.REFUSED', `more than ${MAX_REDIRECTS} redirects`, false);
      url = parse(new URL(response.headers.location, url).href);
      continue;
    }
    checkStatus(response, status);
    response.setEncoding('utf8');
    try {
      for await (const chunk of response as AsyncIterable<string>) yield chunk;
    } catch (error) {
      if (fetch.signal.aborted) throw fetch.signal.reason;
      throw error;
    } finally {
      response.destroy();
    }
    // Node marks a body cut short of its Content-Length as incomplete rather than always throwing.
    if (!response.complete)
      throw new FetchFailure('FETCH.NETWORK', 'the connection closed before the whole body came', true);
    return;
  }
}

function parse(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchFailure('FETCH.INVALID_SOURCE', `${raw} is not a URL`, false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new FetchFailure(
      'FETCH.INVALID_SOURCE',
      `only http and https URLs are fetched, not ${url.protocol}`,
      false,
    );
  return url;
}

function refused(url: URL): FetchFailure {
  return new FetchFailure(
    'FETCH.REFUSED',
    `${url.host} is not in NEXUS_SOURCE_URL_HOSTS (or resolves to an address that is not allowed)`,
    false,
  );
}

function checkStatus(response: http.IncomingMessage, status: number): void {
  const fail = (failure: FetchFailure) => {
    response.resume();
    throw failure;
  };
  if (status === 401 || status === 403)
    fail(
      new FetchFailure(
        'FETCH.UNAUTHORIZED',
        `the server answered ${status}: check the source's token or headers`,
        false,
      ),
    );
  if (status === 404)
    fail(new FetchFailure('FETCH.NOT_FOUND', 'the server answered 404: no such file', false));
  if (status >= 500 || status === 429 || status === 408)
    fail(new FetchFailure('FETCH.HTTP_STATUS', `the server answered ${status}`, true));
  if (status < 200 || status >= 300)
    fail(new FetchFailure('FETCH.HTTP_STATUS', `the server answered ${status}`, false));
  const type = required(
    (response.headers['content-type'] ?? '').split(';')[0],
    'media type of the content type',
  )
    .trim()
    .toLowerCase();
  if (type === 'text/html' || type === 'application/xhtml+xml')
    fail(
      new FetchFailure(
        'FETCH.NOT_RECORDS',
        `the server answered a web page (${type}), not CSV or NDJSON: is the URL a sign-in or download page?`,
        false,
      ),
    );
}

function get(url: URL, fetch: UrlFetch): Promise<http.IncomingMessage> {
  if (!fetch.hosts.allowsUrl(url)) return Promise.reject(refused(url));
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(literal) && !fetch.hosts.hosts.allowsAddress(literal)) return Promise.reject(refused(url));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, {
      lookup: checkedLookup(fetch.hosts.hosts),
      agent: false,
      headers: { accept: 'text/csv, application/x-ndjson, text/plain, */*;q=0.5', ...fetch.headers },
      signal: fetch.signal,
      timeout: fetch.idleTimeoutMs,
    });
    request.on('socket', (socket: net.Socket) => {
      socket.once('connect', () => {
        if (!socket.remoteAddress || !fetch.hosts.hosts.allowsAddress(socket.remoteAddress))
          request.destroy(refused(url));
      });
    });
    // Fires on any silence of the socket, while connecting or reading the body.
    request.on('timeout', () =>
      request.destroy(
        new FetchFailure('FETCH.TIMEOUT', `the server was silent for ${fetch.idleTimeoutMs} ms`, true),
      ),
    );
    request.on('error', (error: Error) => {
      if (error.name === 'FaceImageError') reject(refused(url));
      else reject(error);
    });
    request.on('response', resolve);
  });
}
