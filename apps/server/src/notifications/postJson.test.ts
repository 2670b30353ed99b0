import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './postJson';
import { WebhookAddresses } from './webhookAddresses';

/** A real server that answers 200 and then never stops sending, and counts what reached it. */
let server: http.Server;
let url: string;
let reached = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    reached++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const pump = () => {
      while (res.write(chunk));
    };
    res.on('drain', pump);
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('postJson', () => {
  it('stops reading an endless answer after a small excerpt', async () => {
    // Reading it whole would never end: only the deadline (60 s) would stop it, as a failure.
    const outcome = await postJson(url, '{}', {}, new WebhookAddresses(['127.0.0.1']), 60_000);
    expect(outcome).toEqual({ statusCode: 200, error: null, ok: true });
  });

  it('connects to no address the policy does not allow, by literal address or by name', async () => {
    const before = reached;
    const closed = new WebhookAddresses([]);
    const literal = await postJson(url, '{}', {}, closed, 5000);
    expect(literal.ok).toBe(false);
    expect(literal.error).toMatch(/address not allowed/);
    const byName = await postJson(url.replace('127.0.0.1', 'localhost'), '{}', {}, closed, 5000);
    expect(byName.ok).toBe(false);
    expect(byName.error).toMatch(/address not allowed/);
    expect(reached).toBe(before);
  });

  it('refuses other schemes and non-URLs without throwing', async () => {
    const open = new WebhookAddresses(['127.0.0.1']);
    expect(await postJson('file:///etc/passwd', '{}', {}, open, 1000)).toMatchObject({ ok: false });
    expect(await postJson('not a url', '{}', {}, open, 1000)).toMatchObject({
      ok: false,
      error: 'not a URL',
    });
  });
});
