import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The client's address. Node sets `req.socket` to null once the socket is gone (a client that
 * hung up, a body refused mid-stream), so this never dereferences it blindly.
 */
export function clientAddressOf(req: IncomingMessage): string {
  return (req.socket as Socket | null)?.remoteAddress ?? 'unknown';
}
