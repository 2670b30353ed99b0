import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createDb } from '@nexus/actors';
import { useTestServer, type TestServer } from '../../../../test/serverHarness';
import { eventually, WebhookReceiver } from '../../../../test/webhookReceiver';
import { resolveServerSecretKey } from '../auth/serverSecretKey';
import { loadConfig } from '../config';
import { DeliveryChannels } from './deliveryChannels';
import { DeliveryWorker } from './deliveryWorker';
import { notificationSettings } from './notificationSettings';
import { SubscriptionSecrets } from './subscriptionSecrets';
import type { EventsPage } from './outboxEvents';
import type { DeliveryView, SubscriptionView } from './subscriptionsService';
import { verifyWebhookSignature } from './webhookSignature';

const SECRET_KEY = 'a-server-secret-key-for-notification-tests';

const FAST = {
  NEXUS_SECRET_KEY: SECRET_KEY,
  NEXUS_WEBHOOK_URL_HOSTS: '127.0.0.1',
  NEXUS_WEBHOOK_RETRY_BASE_MS: '20',
  NEXUS_NOTIFY_POLL_MS: '30',
  NEXUS_WEBHOOK_TIMEOUT_MS: '400',
};

/** Every answer shape these routes give, loosely: each test reads the part its route answers. */
interface Answer extends Partial<Omit<SubscriptionView, 'events'>> {
  secret: string;
  deliveries: DeliveryView[];
  error: { code: string };
  /** A subscription's event types, or the events of GET /api/v1/events. */
  events: Array<EventsPage['events'][number]> & string[];
  cursor: string;
}

type Api = (
  method: string,
  path: string,
  body?: unknown,
  role?: 'admin' | 'operator' | 'reviewer' | 'ingest',
) => Promise<{ status: number; body: Answer }>;

function apiOf(server: () => TestServer): Api {
  return async (method, path, body, role = 'admin') => {
    const res = await fetch(`${server().url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await server().tokenFor(role)}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Answer };
  };
}

describe('webhook delivery', () => {
  const suite = useTestServer({ ...FAST, NEXUS_WEBHOOK_RETRY_HOURS: '1' });
  const api = apiOf(() => suite.server);
  const notify = (type: string, key: string, data: Record<string, unknown> = {}) =>
    suite.server.nexus.deps.notifications.notifier.notify({ type, key, data });
  const receivers: WebhookReceiver[] = [];
  const receiver = async () => {
    const r = new WebhookReceiver();
    await r.start();
    receivers.push(r);
    return r;
  };
  afterAll(async () => {
    for (const r of receivers) await r.stop();
  });
  const subscribe = async (url: string, events = ['job.completed', 'job.failed'], secret?: string) => {
    const res = await api('POST', '/api/v1/webhooks', { url, events, ...(secret ? { secret } : {}) });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret: string };
  };
  // Each test owns its subscriptions: delete them, so they do not take later tests' notifications.
  const made: string[] = [];
  afterEach(async () => {
    for (const id of made.splice(0)) await api('DELETE', `/api/v1/webhooks/${id}`);
  });
  const own = <T extends { id: string }>(s: T) => (made.push(s.id), s);

  it('answers the secret once, keeps it sealed, and signs each delivery with it', async () => {
    const r = await receiver();
    const sub = own(await subscribe(r.url));
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const shown = await api('GET', `/api/v1/webhooks/${sub.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: sub.id,
      kind: 'webhook',
      url: r.url,
      events: ['job.completed', 'job.failed'],
    });
    expect(JSON.stringify(shown.body)).not.toContain(sub.secret);
    const stored = await suite.tdb.db
      .selectFrom('notification_subscriptions')
      .select('secret')
      .where('id', '=', sub.id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toMatch(/^sealed:v1:/);
    expect(stored.secret).not.toContain(sub.secret.slice(6));

    await notify('job.completed', 'job-sig', { status: 'completed', counts: { read: 3 } });
    await notify('job.started', 'job-sig'); // not subscribed
    const [delivery] = await eventually(() => {
      expect(r.accepted).toHaveLength(1);
      return r.accepted;
    });
    const body = delivery!.body;
    expect(Object.keys(JSON.parse(body) as object)).toEqual([
      'id',
      'type',
      'key',
      'sequence',
      'schemaVersion',
      'source',
      'createdAt',
      'data',
    ]);
    expect(JSON.parse(body)).toMatchObject({
      type: 'job.completed',
      key: 'job-sig',
      sequence: 1,
      data: { status: 'completed', counts: { read: 3 } },
    });
    const header = delivery!.headers['x-nexus-signature'] as string;
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(sub.secret, body, header)).toBe(true);
    // Forgeries and replays are refused by the same check receivers run.
    expect(verifyWebhookSignature('whsec_not-the-secret-at-all', body, header)).toBe(false);
    expect(verifyWebhookSignature(sub.secret, body.replace('"completed"', '"failed"'), header)).toBe(false);
    const t = Number(/t=(\d+)/.exec(header)![1]);
    expect(verifyWebhookSignature(sub.secret, body, header, t + 301)).toBe(false);
    expect(verifyWebhookSignature(sub.secret, body, header, t + 299)).toBe(true);
  });

  it('uses a secret the subscriber chose', async () => {
    const r = await receiver();
    const chosen = 'my-own-signing-secret-0123456789';
    const sub = own(await subscribe(r.url, ['job.failed'], chosen));
    expect(sub.secret).toBe(chosen);
    await notify('job.failed', 'job-own', { error: 'boom' });
    await eventually(() => expect(r.accepted).toHaveLength(1));
    expect(
      verifyWebhookSignature(
        chosen,
        r.accepted[0]!.body,
        r.accepted[0]!.headers['x-nexus-signature'] as string,
      ),
    ).toBe(true);
  });

  it('shows no password of a webhook URL to operators, and still sends it', async () => {
    const r = await receiver();
    const url = r.url.replace('http://', 'http://nexus:hook-password@');
    const sub = own(await subscribe(url));
    const shown = await api('GET', `/api/v1/webhooks/${sub.id}`, undefined, 'operator');
    expect(shown.body.url).toBe(r.url.replace('http://', 'http://nexus:%E2%80%A6@'));
    expect(JSON.stringify(shown.body)).not.toContain('hook-password');
    await notify('job.completed', 'job-basic-auth');
    await eventually(() => expect(r.accepted).toHaveLength(1));
    expect(r.accepted[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('nexus:hook-password').toString('base64')}`,
    );
  });

  it('delivers in order per key, every notification once', async () => {
    const r = await receiver();
    own(await subscribe(r.url, ['*']));
    const keys = ['order-a', 'order-b', 'order-c'];
    for (let i = 0; i < 30; i++) await notify('job.completed', keys[i % 3]!, { i });
    const messages = await eventually(() => {
      expect(r.accepted).toHaveLength(30);
      return r.messages();
    });
    for (const key of keys) {
      const seen = messages.filter((m) => m.key === key).map((m) => m.sequence);
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    }
    expect(new Set(messages.map((m) => m.id)).size).toBe(30);
  });

  it('a receiver down and then up gets everything, in order, once per successful delivery', async () => {
    const r = await receiver();
    const sub = own(await subscribe(r.url));
    await r.stop();
    for (let i = 1; i <= 8; i++) await notify(i % 2 ? 'job.completed' : 'job.failed', 'job-down', { i });
    // Down for real: attempts were made and failed (connection refused), nothing was lost.
    await eventually(async () => {
      const log = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      expect(log.body.deliveries).toHaveLength(8);
      const head = log.body.deliveries.find((d: { sequence: number }) => d.sequence === 1)!;
      expect(head.attempts).toBeGreaterThanOrEqual(2);
      expect(head.attemptLog[0]!.error).toMatch(/ECONNREFUSED|connect/);
      expect(head.status).toBe('pending');
    });
    await r.start();
    const messages = await eventually(() => {
      expect(r.accepted).toHaveLength(8);
      return r.messages();
    });
    expect(messages.map((m) => m.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(messages.map((m) => m.data.i)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The receiver counts a message when it answers 200; the sender records the delivery only
    // after it reads that answer, so the log catches up a moment later.
    await eventually(async () => {
      const log = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      expect(log.body.deliveries.map((d: { status: string }) => d.status)).toEqual(
        Array(8).fill('delivered'),
      );
      const sequenceOne = log.body.deliveries.find((d: { sequence: number }) => d.sequence === 1)!;
      expect(sequenceOne.attemptLog.at(-1)).toMatchObject({
        statusCode: 200,
        error: null,
        nextAttemptAt: null,
      });
    });
    // Still exactly once per message after the log settled.
    expect(r.accepted).toHaveLength(8);
  });

  it('never blocks the caller when the receiver hangs', async () => {
    const r = await receiver();
    r.mode = { kind: 'hang' };
    const sub = own(await subscribe(r.url));
    await notify('job.completed', 'job-hang-1');
    // The receiver holds the first request open: the caller was not waiting for it.
    await eventually(() => expect(r.refused.length).toBeGreaterThanOrEqual(1));
    await notify('job.completed', 'job-hang-2');
    await notify('job.completed', 'job-hang-1');
    // The event relay moves them from the outbox into the log, in order.
    const stored = await eventually(async () => {
      const rows = await suite.tdb.db
        .selectFrom('notifications')
        .select(['key', 'sequence'])
        .where('key', 'like', 'job-hang-%')
        .orderBy('id')
        .execute();
      expect(rows).toHaveLength(3);
      return rows;
    });
    expect(stored).toEqual([
      { key: 'job-hang-1', sequence: 1 },
      { key: 'job-hang-2', sequence: 1 },
      { key: 'job-hang-1', sequence: 2 },
    ]);
    await eventually(async () => {
      const log = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      const first = log.body.deliveries.find(
        (d: { key: string; sequence: number }) => d.key === 'job-hang-1' && d.sequence === 1,
      )!;
      expect(first.attemptLog[0]!.error).toMatch(/no answer within 400 ms/);
    });
    expect(r.accepted).toHaveLength(0);
    r.mode = { kind: 'ok' };
    await eventually(() => expect(r.accepted).toHaveLength(3));
    expect(
      r
        .messages()
        .filter((m) => m.key === 'job-hang-1')
        .map((m) => m.sequence),
    ).toEqual([1, 2]);
  });

  it('holds deliveries while paused and sends them on resume', async () => {
    const held = await receiver();
    const witness = await receiver();
    const paused = own(await subscribe(held.url));
    own(await subscribe(witness.url));
    const answer = await api('POST', `/api/v1/webhooks/${paused.id}/pause`, undefined, 'operator');
    expect(answer.status).toBe(200);
    expect(answer.body.paused).toBe(true);
    await notify('job.completed', 'job-paused', { n: 1 });
    await eventually(() => expect(witness.accepted).toHaveLength(1));
    // The witness has it; the paused subscription's copy waits, queued.
    await eventually(async () =>
      expect((await api('GET', `/api/v1/webhooks/${paused.id}`)).body.pending).toBe(1),
    );
    expect(held.accepted).toHaveLength(0);
    const resumed = await api('POST', `/api/v1/webhooks/${paused.id}/resume`, undefined, 'operator');
    expect(resumed.body.paused).toBe(false);
    await eventually(() => expect(held.accepted).toHaveLength(1));
    expect(held.messages()[0]).toMatchObject({ key: 'job-paused', data: { n: 1 } });
  });

  it('replays from a point in time', async () => {
    const r = await receiver();
    const sub = own(await subscribe(r.url));
    await notify('job.completed', 'job-replay', { n: 1 });
    await eventually(() => expect(r.accepted).toHaveLength(1));
    const between = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20)); // two distinct instants, not a timing assertion
    await notify('job.completed', 'job-replay', { n: 2 });
    await notify('job.completed', 'job-replay', { n: 3 });
    await eventually(() => expect(r.accepted).toHaveLength(3));
    const replay = await api('POST', `/api/v1/webhooks/${sub.id}/replay`, { from: between.toISOString() });
    expect(replay.status).toBe(200);
    await eventually(() => expect(r.accepted).toHaveLength(5));
    const again = r.messages().slice(3);
    expect(again.map((m) => m.data.n)).toEqual([2, 3]);
    expect(again.map((m) => m.id)).toEqual(
      r
        .messages()
        .slice(1, 3)
        .map((m) => m.id),
    );
  });

  it('redelivers a delivered notification by hand', async () => {
    const r = await receiver();
    const sub = own(await subscribe(r.url));
    await notify('job.failed', 'job-again', { n: 1 });
    await eventually(() => expect(r.accepted).toHaveLength(1));
    const log = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`, undefined, 'operator');
    const id = log.body.deliveries[0]!.id;
    const again = await api(
      'POST',
      `/api/v1/webhooks/${sub.id}/deliveries/${id}/redeliver`,
      undefined,
      'operator',
    );
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'pending', key: 'job-again', sequence: 1 });
    await eventually(() => expect(r.accepted).toHaveLength(2));
    expect(r.messages()[1]!.id).toBe(r.messages()[0]!.id);
  });

  it('follows no redirect: a 3xx is a failed attempt and the other host hears nothing', async () => {
    const elsewhere = await receiver();
    const r = await receiver();
    r.mode = { kind: 'redirect', to: elsewhere.url };
    const sub = own(await subscribe(r.url));
    await notify('job.completed', 'job-redirect');
    await eventually(async () => {
      const log = await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`);
      expect(log.body.deliveries[0]?.attemptLog[0]).toMatchObject({
        statusCode: 307,
        error: 'answered 307 (redirects are not followed)',
      });
    });
    expect(elsewhere.accepted).toHaveLength(0);
    expect(elsewhere.refused).toHaveLength(0);
  });

  it('refuses URLs that reach private, loopback or link-local addresses not listed', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/hook',
      'http://[::1]/hook',
      'http://[::ffff:10.0.0.1]/hook', // IPv4-mapped: judged as the IPv4 address it reaches
      'http://127.0.0.2/hook',
      'http://0.0.0.0/hook',
      'http://167772161/hook', // 10.0.0.1 as one number
    ]) {
      const res = await api('POST', '/api/v1/webhooks', { url, events: ['job.completed'] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe('SUBSCRIPTION.URL_NOT_ALLOWED');
    }
    for (const url of [
      'ftp://example.org/x',
      'file:///etc/passwd',
      'not a url',
      'javascript:alert(1)',
      'http://',
    ]) {
      const res = await api('POST', '/api/v1/webhooks', { url, events: ['job.completed'] });
      expect(res.status, url).toBe(400);
      expect(res.body.error.code, url).toBe('REQUEST.INVALID');
    }
  });

  it('answers every bad request with a 4xx and a stable code', async () => {
    const cases: Array<[string, string, unknown, number, string]> = [
      ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:1/x' }, 400, 'REQUEST.INVALID'],
      ['POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:1/x', events: [] }, 400, 'REQUEST.INVALID'],
      [
        'POST',
        '/api/v1/webhooks',
        { url: 'http://127.0.0.1:1/x', events: ['JOB DONE'] },
        400,
        'REQUEST.INVALID',
      ],
      [
        'POST',
        '/api/v1/webhooks',
        { url: 'http://127.0.0.1:1/x', events: ['job.completed'], secret: 'short' },
        400,
        'REQUEST.INVALID',
      ],
      [
        'POST',
        '/api/v1/webhooks',
        { kind: 'pager', url: 'http://127.0.0.1:1/x', events: ['job.completed'] },
        400,
        'REQUEST.INVALID',
      ],
      [
        'POST',
        '/api/v1/webhooks',
        { kind: 'email', to: 'not-an-address', events: ['job.completed'] },
        400,
        'REQUEST.INVALID',
      ],
      [
        'POST',
        '/api/v1/webhooks',
        { kind: 'email', to: 'ops@example.org', events: ['job.completed'] },
        409,
        'SUBSCRIPTION.EMAIL_NOT_CONFIGURED',
      ],
      ['POST', '/api/v1/webhooks', ['not', 'an', 'object'], 400, 'REQUEST.INVALID'],
      [
        'POST',
        '/api/v1/webhooks',
        { url: `http://127.0.0.1:1/${'x'.repeat(3000)}`, events: ['job.completed'] },
        400,
        'REQUEST.INVALID',
      ],
      ['GET', '/api/v1/webhooks/not-a-uuid', undefined, 400, 'REQUEST.INVALID'],
      [
        'GET',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000',
        undefined,
        404,
        'SUBSCRIPTION.NOT_FOUND',
      ],
      [
        'DELETE',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000',
        undefined,
        404,
        'SUBSCRIPTION.NOT_FOUND',
      ],
      [
        'POST',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/pause',
        undefined,
        404,
        'SUBSCRIPTION.NOT_FOUND',
      ],
      [
        'POST',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/replay',
        { from: 'yesterday' },
        400,
        'REQUEST.INVALID',
      ],
      [
        'POST',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries/1/redeliver',
        undefined,
        404,
        'DELIVERY.NOT_FOUND',
      ],
      [
        'POST',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries/x/redeliver',
        undefined,
        400,
        'REQUEST.INVALID',
      ],
      [
        'GET',
        '/api/v1/webhooks/00000000-0000-4000-8000-000000000000/deliveries?limit=0',
        undefined,
        400,
        'REQUEST.INVALID',
      ],
      ['GET', '/api/v1/events?after=-1', undefined, 400, 'REQUEST.INVALID'],
      ['GET', '/api/v1/events?wait=61', undefined, 400, 'REQUEST.INVALID'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await api(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(status);
      expect(res.body.error.code, `${method} ${path}`).toBe(code);
    }
  });

  it('lets admins choose where data goes and operators only watch, pause, resume and redeliver', async () => {
    const r = await receiver();
    for (const role of ['operator', 'reviewer', 'ingest'] as const) {
      const res = await api('POST', '/api/v1/webhooks', { url: r.url, events: ['job.completed'] }, role);
      expect(res.status, role).toBe(403);
    }
    const sub = own(await subscribe(r.url));
    expect((await api('GET', '/api/v1/webhooks', undefined, 'operator')).status).toBe(200);
    expect((await api('GET', '/api/v1/webhooks', undefined, 'reviewer')).status).toBe(403);
    expect((await api('GET', `/api/v1/webhooks/${sub.id}/deliveries`, undefined, 'ingest')).status).toBe(403);
    expect((await api('DELETE', `/api/v1/webhooks/${sub.id}`, undefined, 'operator')).status).toBe(403);
    expect(
      (await api('POST', `/api/v1/webhooks/${sub.id}/replay`, { from: new Date().toISOString() }, 'operator'))
        .status,
    ).toBe(403);
    expect((await api('GET', '/api/v1/events?wait=0', undefined, 'reviewer')).status).toBe(403);
  });

  it('serves the outbox to pull consumers after a cursor, waiting for news', async () => {
    const first = await api('GET', '/api/v1/events?after=0&wait=0&limit=1000', undefined, 'operator');
    expect(first.status).toBe(200);
    const before = first.body.events.length;
    expect(before).toBeGreaterThan(0);
    const cursors = first.body.events.map((e: { cursor: string }) => BigInt(e.cursor));
    expect([...cursors].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(cursors);
    const waiting = api('GET', `/api/v1/events?after=${first.body.cursor}&wait=30`, undefined, 'operator');
    await notify('job.completed', 'job-pulled', { n: 7 });
    const next = await waiting;
    expect(next.status).toBe(200);
    expect(next.body.events).toHaveLength(1);
    expect(next.body.events[0]).toMatchObject({
      type: 'job.completed',
      key: 'job-pulled',
      sequence: 1,
      data: { n: 7 },
    });
    expect(next.body.cursor).toBe(next.body.events[0]!.cursor);
    const none = await api('GET', `/api/v1/events?after=${next.body.cursor}&wait=0`, undefined, 'operator');
    expect(none.body).toEqual({ events: [], cursor: next.body.cursor });
  });

  it('two engines on one database deliver each notification once, in order per key', async () => {
    const r = await receiver();
    own(await subscribe(r.url, ['job.completed']));
    const config = loadConfig({ DATABASE_URL: suite.tdb.url, ...FAST, NEXUS_WEBHOOK_RETRY_HOURS: '1' });
    const settings = notificationSettings(config);
    const db = createDb(suite.tdb.url, { maxConnections: settings.concurrency + 2 });
    const key = (await resolveServerSecretKey(SECRET_KEY, '/nonexistent')).key;
    const second = new DeliveryWorker(
      db,
      settings,
      new DeliveryChannels(settings),
      new SubscriptionSecrets(() => Promise.resolve(key)),
      pino({ level: 'silent' }),
    );
    second.start();
    try {
      for (let i = 0; i < 40; i++) await notify('job.completed', `two-${i % 4}`, { i });
      const messages = await eventually(() => {
        expect(r.accepted).toHaveLength(40);
        return r.messages();
      });
      expect(new Set(messages.map((m) => m.id)).size).toBe(40);
      for (let k = 0; k < 4; k++)
        expect(messages.filter((m) => m.key === `two-${k}`).map((m) => m.sequence)).toEqual([
          1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
        ]);
    } finally {
      await second.stop();
      await db.destroy();
    }
  });
});

describe('a receiver down for the whole retry window', () => {
  // About a second of retries: the window is the same code path as the default 24 hours.
  const suite = useTestServer({ ...FAST, NEXUS_WEBHOOK_RETRY_HOURS: '0.0003' });
  const api = apiOf(() => suite.server);
  const r = new WebhookReceiver();
  beforeAll(() => r.start());
  afterAll(() => r.stop());

  it('ends dead-lettered, holds what came after, and is redelivered by hand', async () => {
    const created = await api('POST', '/api/v1/webhooks', { url: r.url, events: ['job.failed'] });
    const id = created.body.id as string;
    await r.stop();
    const notifier = suite.server.nexus.deps.notifications.notifier;
    await notifier.notify({ type: 'job.failed', key: 'job-dead', data: { n: 1 } });
    const dead = await eventually(async () => {
      const sub = await api('GET', `/api/v1/webhooks/${id}`, undefined, 'operator');
      expect(sub.body.state).toBe('dead_lettered');
      return sub.body;
    });
    expect(dead.deadLetteredAt).not.toBeNull();
    expect(dead.lastError).toMatch(/ECONNREFUSED|connect/);
    const log = await api('GET', `/api/v1/webhooks/${id}/deliveries`, undefined, 'operator');
    const deadDelivery = log.body.deliveries[0]!;
    expect(deadDelivery).toMatchObject({
      status: 'dead_lettered',
      key: 'job-dead',
      sequence: 1,
      nextAttemptAt: null,
    });
    expect(deadDelivery.attempts).toBeGreaterThanOrEqual(2);
    expect(deadDelivery.attemptLog.at(-1)!.nextAttemptAt).toBeNull();

    // What comes next is queued behind it, not lost and not sent ahead of it.
    await notifier.notify({ type: 'job.failed', key: 'job-dead', data: { n: 2 } });
    await eventually(async () => expect((await api('GET', `/api/v1/webhooks/${id}`)).body.pending).toBe(1));

    await r.start();
    const again = await api(
      'POST',
      `/api/v1/webhooks/${id}/deliveries/${deadDelivery.id}/redeliver`,
      undefined,
      'operator',
    );
    expect(again.status).toBe(202);
    const messages = await eventually(() => {
      expect(r.accepted).toHaveLength(2);
      return r.messages();
    });
    expect(messages.map((m) => [m.sequence, m.data.n])).toEqual([
      [1, 1],
      [2, 2],
    ]);
    // The receiver has the second message before the server has written down its answer.
    await eventually(async () =>
      expect((await api('GET', `/api/v1/webhooks/${id}`)).body).toMatchObject({
        state: 'active',
        deadLetteredAt: null,
        pending: 0,
        lastError: null,
      }),
    );
  });

  it('resume takes a dead-lettered subscription back with all its dead-lettered deliveries', async () => {
    const created = await api('POST', '/api/v1/webhooks', { url: r.url, events: ['job.completed'] });
    const id = created.body.id as string;
    const before = r.accepted.length;
    await r.stop();
    await suite.server.nexus.deps.notifications.notifier.notify({
      type: 'job.completed',
      key: 'job-resume',
      data: {},
    });
    await eventually(async () =>
      expect((await api('GET', `/api/v1/webhooks/${id}`)).body.state).toBe('dead_lettered'),
    );
    await r.start();
    const resumed = await api('POST', `/api/v1/webhooks/${id}/resume`, undefined, 'operator');
    expect(resumed.body.state).toBe('active');
    await eventually(() => expect(r.accepted).toHaveLength(before + 1));
    expect(r.messages().at(-1)).toMatchObject({ key: 'job-resume', sequence: 1 });
  });
});
