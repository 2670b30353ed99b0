import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { FaceImageError } from './faceImageError';
import { FaceHosts } from './faceHosts';
import { FACE_REFUSED } from './faceRefusals';
import type { FaceSourcePolicy } from './faceSourcePolicy';

const MAX_REDIRECTS = 3;

/**
 * Fetches an http(s) face URL under the policy: the host must be listed, every address DNS gives
 * is checked and the socket connects only to a checked one (and is checked again once connected),
 * redirects are followed only to listed hosts, the body is streamed and abandoned past maxBytes,
 * and one deadline covers connecting, redirects and the whole body.
 *
 * A refusal, a 4xx, a body too large or a deadline missed is the record's fault (FaceImageError:
 * rejected once). A 5xx or a dropped connection from a listed host is a plain error: retried as
 * any failure, up to the record's attempts.
 */
export async function fetchFaceUrl(
  url: string,
  policy: Pick<FaceSourcePolicy, 'urlHosts' | 'maxBytes' | 'timeoutMs'>,
): Promise<Buffer> {
  const hosts = new FaceHosts(policy.urlHosts);
  const deadline = AbortSignal.timeout(policy.timeoutMs);
  let current = parseHttpUrl(url);
  for (let redirects = 0; ; redirects++) {
    const answer = await get(current, hosts, policy, deadline);
    if (answer.kind === 'body') return answer.bytes;
    if (redirects >= MAX_REDIRECTS) throw new FaceImageError(FACE_REFUSED.redirects);
    current = parseHttpUrl(redirectTarget(answer.location, current));
  }
}

function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new FaceImageError(FACE_REFUSED.scheme);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new FaceImageError(FACE_REFUSED.host);
  return parsed;
}

function redirectTarget(location: string, from: URL): string {
  try {
    return new URL(location, from).href;
  } catch {
    throw new FaceImageError(FACE_REFUSED.host);
  }
}

type Answer = { kind: 'body'; bytes: Buffer } | { kind: 'redirect'; location: string };

function get(
  url: URL,
  hosts: FaceHosts,
  policy: Pick<FaceSourcePolicy, 'maxBytes' | 'timeoutMs'>,
  deadline: AbortSignal,
): Promise<Answer> {
  if (!hosts.allowsHost(url.hostname)) return Promise.reject(new FaceImageError(FACE_REFUSED.host));
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(literal) && !hosts.allowsAddress(literal))
    return Promise.reject(new FaceImageError(FACE_REFUSED.host));
  if (deadline.aborted) return Promise.reject(new FaceImageError(FACE_REFUSED.timedOut(policy.timeoutMs)));
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Answer>((resolve, reject) => {
    const request = client.get(url, {
      lookup: checkedLookup(hosts),
      agent: false,
      headers: { accept: 'image/*' },
    });
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(error);
    };
    const onDeadline = () => fail(new FaceImageError(FACE_REFUSED.timedOut(policy.timeoutMs)));
    deadline.addEventListener('abort', onDeadline, { once: true });
    request.on('socket', (socket: net.Socket) => {
      socket.once('connect', () => {
        // What the socket reached, not only what DNS said: the last word on where we went.
        if (!socket.remoteAddress || !hosts.allowsAddress(socket.remoteAddress))
          fail(new FaceImageError(FACE_REFUSED.host));
      });
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      fail(
        error instanceof FaceImageError
          ? error
          : new Error(`face_image URL could not be fetched (${error.code ?? 'network error'})`),
      ),
    );
    request.on('close', () => deadline.removeEventListener('abort', onDeadline));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        response.resume();
        settled = true;
        request.destroy();
        return resolve({ kind: 'redirect', location: response.headers.location });
      }
      // A failing face server may recover: retried. Any other answer will not change: rejected.
      if (status >= 500) return fail(new Error(FACE_REFUSED.httpStatus(status)));
      if (status < 200 || status >= 300) return fail(new FaceImageError(FACE_REFUSED.httpStatus(status)));
      const declared = Number(response.headers['content-length']);
      if (declared > policy.maxBytes) return fail(new FaceImageError(FACE_REFUSED.tooLarge(policy.maxBytes)));
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > policy.maxBytes) return fail(new FaceImageError(FACE_REFUSED.tooLarge(policy.maxBytes)));
        chunks.push(chunk);
      });
      response.on('end', () => {
        if (settled) return;
        settled = true;
        resolve({ kind: 'body', bytes: Buffer.concat(chunks, total) });
      });
      response.on('error', (error) => fail(error));
    });
  });
}

/**
 * dns.lookup that answers only with addresses the policy allows, so the socket can connect to
 * nothing else. Node asks for one address or (happy eyeballs) for all of them.
 */
export function checkedLookup(hosts: FaceHosts): net.LookupFunction {
  return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error);
      const allowed = addresses.filter((a) => hosts.allowsAddress(a.address));
      const first = allowed[0];
      if (first === undefined) return callback(new FaceImageError(FACE_REFUSED.host));
      if (options.all) return callback(null, allowed);
      callback(null, first.address, first.family);
    });
  }) as net.LookupFunction;
}
