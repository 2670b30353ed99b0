import type { IncomingMessage } from 'node:http';
import { RequestError } from '../errors/domainError';

/** Reads a JSON body of at most `maxBytes`; refuses other media types, oversized and malformed bodies. */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new RequestError(
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
      'send the body as JSON (Content-Type: application/json)',
    );
  }
  const tooLarge = () =>
    new RequestError(
      'REQUEST.TOO_LARGE',
      `the body is larger than ${maxBytes.toLocaleString('en')} bytes (NEXUS_MAX_BODY_BYTES): split the batch`,
    );
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new RequestError('REQUEST.INVALID', 'the body is empty: send a JSON object');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new RequestError('REQUEST.INVALID', 'the body is not valid JSON');
  }
}
