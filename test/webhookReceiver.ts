import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  /** The raw body, as signed. */
  body: string;
}

/** How the receiver answers: 200, an error status, never (hangs), or a redirect elsewhere. */
export type ReceiverMode =
  { kind: 'ok' } | { kind: 'status'; status: number } | { kind: 'hang' } | { kind: 'redirect'; to: string };

/**
 * A real HTTP receiver for webhook tests on 127.0.0.1: records what it accepted (2xx) and what it
 * refused, can be stopped (connection refused) and started again on the same port.
 */
export class WebhookReceiver {
  readonly accepted: Received[] = [];
  readonly refused: Received[] = [];
  mode: ReceiverMode = { kind: 'ok' };
  private server: http.Server | undefined;
  private port = 0;
  private readonly hanging = new Set<http.ServerResponse>();

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const received = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
        const mode = this.mode;
        if (mode.kind === 'ok') {
          this.accepted.push(received);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        } else if (mode.kind === 'status') {
          this.refused.push(received);
          res.writeHead(mode.status).end('no');
        } else if (mode.kind === 'redirect') {
          this.refused.push(received);
          res.writeHead(307, { location: mode.to }).end();
        } else {
          this.refused.push(received);
          this.hanging.add(res);
        }
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Down: the port refuses connections until start() again. */
  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The accepted bodies, parsed. */
  messages(): Array<{
    type: string;
    id: string;
    key: string;
    sequence: number;
    data: Record<string, unknown>;
    createdAt: string;
  }> {
    return this.accepted.map((r) => JSON.parse(r.body) as never);
  }
}

/** Polls `check` until it holds (state, never a timing): throws with the last failure after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
