import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { WebhookAddresses } from './webhookAddresses';

/** Bytes of a receiver's answer kept for the delivery log; the rest is never read. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface PostOutcome {
  /** The HTTP status, when the receiver answered. */
  statusCode: number | null;
  /** Why it failed (network, refused address, timeout, a non-2xx answer); null on success. */
  error: string | null;
  ok: boolean;
}

/**
 * POSTs a body to a subscriber's URL: only to allowed addresses (checked in the socket's DNS
 * lookup and again on the connected socket), no redirects followed (a 3xx is a failure), one
 * deadline for connect, send and answer, and at most RESPONSE_EXCERPT_BYTES of the answer read.
 * Never throws: every failure is an outcome for the delivery log.
 */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  addresses: WebhookAddresses,
  timeoutMs: number,
): Promise<PostOutcome> {
  return new Promise<PostOutcome>((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return resolve({ statusCode: null, error: 'not a URL', ok: false });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      return resolve({ statusCode: null, error: 'only http and https URLs', ok: false });
    const literal = parsed.hostname.replace(/^\[|\]$/g, '');
    // A literal address skips the lookup: judged before any connection is made.
    if (net.isIP(literal) && !addresses.allows(literal))
      return resolve({
        statusCode: null,
        error: `${literal}: address not allowed (see NEXUS_WEBHOOK_URL_HOSTS)`,
        ok: false,
      });
    const client = parsed.protocol === 'https:' ? https : http;
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const request = client.request(parsed, {
      method: 'POST',
      agent: false,
      lookup: addresses.lookup(),
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    });
    const timer = setTimeout(
      () => finish({ statusCode: null, error: `no answer within ${timeoutMs} ms`, ok: false }),
      timeoutMs,
    );
    request.on('socket', (socket: net.Socket) => {
      const check = () => {
        // What the socket reached, not only what DNS said (a literal address skips the lookup).
        if (!socket.remoteAddress || !addresses.allows(socket.remoteAddress))
          finish({
            statusCode: null,
            error: `${literal}: address not allowed (see NEXUS_WEBHOOK_URL_HOSTS)`,
            ok: false,
          });
      };
      if (socket.remoteAddress) check();
      else socket.once('connect', check);
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ statusCode: null, error: error.message || error.code || 'network error', ok: false }),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      let read = 0;
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        // A receiver's answer is not ours to store: stop listening past a small excerpt.
        if (read > RESPONSE_EXCERPT_BYTES) done();
      });
      const done = () =>
        finish(
          status >= 200 && status < 300
            ? { statusCode: status, error: null, ok: true }
            : {
                statusCode: status,
                error:
                  status >= 300 && status < 400
                    ? `answered ${status} (redirects are not followed)`
                    : `answered ${status}`,
                ok: false,
              },
        );
      response.on('end', done);
      response.on('error', done);
    });
    request.end(body);
  });
}
