import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { useTestServer } from '../../../../test/serverHarness';

/**
 * Found by the fuzz suite: a domain error thrown while a subscription runs (live.batchProgress of
 * an unknown batch) reached the client as INTERNAL_SERVER_ERROR, status 500, instead of its own
 * code: tRPC wraps errors from a subscription's generator after the middleware has returned.
 */
describe('a subscription that fails with a domain error', () => {
  const ctx = useTestServer();

  it('answers with the domain code and its status, not an internal error', async () => {
    const token = await ctx.server.tokenFor('admin');
    const ws = new WebSocket(`${ctx.server.url.replace(/^http/, 'ws')}/trpc`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const answer = new Promise<{ error?: { code: number; data: Record<string, unknown> } }>((resolve) =>
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as {
          id?: number;
          error?: { code: number; data: Record<string, unknown> };
        };
        if (msg.id === 1 && msg.error) resolve(msg);
      }),
    );
    ws.send(
      JSON.stringify({
        id: 1,
        method: 'subscription',
        params: { path: 'live.batchProgress', input: { batchId: randomUUID() } },
      }),
    );
    const { error } = await answer;
    ws.close();
    expect(error).toMatchObject({
      code: -32004,
      data: { code: 'NOT_FOUND', httpStatus: 404, domainCode: 'BATCH.NOT_FOUND' },
    });
  });
});
