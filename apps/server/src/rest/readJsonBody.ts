import type { IncomingMessage } from 'node:http';
import { RequestError } from '../errors/domainError';
import { required } from '@nexus/schema';

/**
 * The raw body, at most `maxBytes`. Chunk by chunk through events rather than `for await`: an
 * oversized body stops the reading without destroying the request, so the 413 still reaches the
 * client (the answer carries `connection: close` and Node then drops the unread rest).
 */
function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: Error | undefined) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) finish(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new RequestError('REQUEST.INVALID', 'the body broke off'));
    const onClose = () => finish(new RequestError('REQUEST.INVALID', 'the body broke off'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

/**
 * Reads a JSON body of at most `maxBytes`; refuses other media types, oversized and malformed
 * bodies. `advice` tells the client what to do about a body too large.
 */
export async function readJsonBody(
  req: IncomingMessage,
  maxBytes: number,
  advice = '(NEXUS_MAX_BODY_BYTES): split the batch',
): Promise<unknown> {
  const type = required((req.headers['content-type'] ?? '').split(';')[0], 'media type of the content type')
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new RequestError(
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      'send the body as JSON (Content-Type: application/json)',
    );
  }
  const tooLarge = () =>
    new RequestError(
      'REQUEST.TOO_LARGE',
      `the body is larger than ${maxBytes.toLocaleString('en')} bytes ${advice}`,
    );
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const text = (await readBody(req, maxBytes, tooLarge)).toString('utf8');
  if (text.trim() === '') throw new RequestError('REQUEST.INVALID', 'the body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError('REQUEST.INVALID', 'the body is not valid JSON');
  }
}
