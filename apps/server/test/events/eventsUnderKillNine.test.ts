import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingCount, waitUntil } from '../../../../test/engineHarness';
import { startServerProcess, stopProcess, type ServerProcess } from '../../../../test/serverProcess';
import { createTestDatabase, type TestDatabase } from '../../../../test/testDatabase';
import { generatePopulation } from '../../src/generate/syntheticPeople';
import { submitBatch } from '../../src/ingest/submitBatch';

const SUBSCRIBER = path.resolve(import.meta.dirname, '../fixtures/dedupingSubscriber.mjs');
const ADMIN_PASSWORD = 'kill-nine-admin-password';
const WEBHOOK_SECRET = 'a-webhook-secret-the-subscriber-checks';
const PARTITIONS = 4;

const SERVER_ENV = {
  LOG_LEVEL: 'warn',
  NEXUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
  // Both survive the restart: the token the pull consumer holds and the sealed webhook secret.
  NEXUS_JWT_SECRET: 'a-kill-nine-signing-secret-of-32-chars-or-more',
  NEXUS_SECRET_KEY: 'a-kill-nine-server-secret-key-of-32-chars',
  NEXUS_PARTITIONS: String(PARTITIONS),
  NEXUS_WORKERS: '1',
  NEXUS_RETRAIN_INTERVAL_SECONDS: '0',
  NEXUS_RATE_LIMIT_RPS: '100000',
  NEXUS_RATE_LIMIT_BURST: '100000',
  NEXUS_LOGIN_RATE_PER_MINUTE: '100000',
  NEXUS_WEBHOOK_URL_HOSTS: '127.0.0.1',
  NEXUS_WEBHOOK_RETRY_BASE_MS: '20',
  NEXUS_NOTIFY_POLL_MS: '50',
  NEXUS_NOTIFY_CONCURRENCY: '4',
};

interface Processed {
  id: string;
  type: string;
  key: string;
  sequence: number;
}

const readLines = <T>(file: string): T[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as T)
    : [];

/** The consumer of dedupingSubscriber.mjs as a child process, so that it can die by SIGKILL too. */
function startSubscriber(
  stateDir: string,
  port: number,
  dieAfter?: number,
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [SUBSCRIBER], {
    env: {
      ...process.env,
      PORT: String(port),
      STATE_DIR: stateDir,
      SECRET: WEBHOOK_SECRET,
      ...(dieAfter ? { DIE_AFTER: String(dieAfter) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`subscriber exited ${code ?? signal}: ${output}`)));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const listening = /listening on (\d+)/.exec(output);
      if (listening) resolve({ child, port: Number(listening[1]) });
    });
  });
}

/**
 * Issue 17, "Done means": ordering per key and exactly-once at the consumer under kill -9 of the
 * server and of the subscriber. The real `nexus start` and a real webhook consumer, each its own
 * process; the consumer keeps the ids it processed, as docs/events.md tells consumers to. A pull
 * consumer (`GET /api/v1/events?after=`) reads the same stream across the server's death.
 */
describe('the event stream under kill -9 of the server and of the subscriber', () => {
  let tdb: TestDatabase;
  let server: ServerProcess | undefined;
  let subscriber: ChildProcess | undefined;
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-kill-nine-'));
  const processedFile = path.join(stateDir, 'processed.jsonl');
  const receivedFile = path.join(stateDir, 'received.jsonl');
  const population = generatePopulation({ people: 200, dupRate: 0.35, seed: 1717, prefix: 'k9-' });
  // Accepted while the server is dead, decided after its restart.
  const lateComers = generatePopulation({ people: 30, dupRate: 0.35, seed: 1718, prefix: 'k9-late-' });

  beforeAll(async () => {
    tdb = await createTestDatabase();
  });
  afterAll(async () => {
    if (server) await stopProcess(server.child, 'SIGKILL');
    if (subscriber) await stopProcess(subscriber, 'SIGKILL');
    await tdb?.drop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  /** A pull consumer in this process: keeps its cursor, and rides out the server's death. */
  function pullConsumer(currentUrl: () => string, token: string) {
    const pulled: Array<{ cursor: string; id: string; key: string; sequence: number }> = [];
    let cursor = '0';
    let stopped = false;
    const done = (async () => {
      while (!stopped) {
        try {
          const res = await fetch(`${currentUrl()}/api/v1/events?after=${cursor}&limit=50&wait=1`, {
            headers: { authorization: `Bearer ${token}` },
          });
          if (res.status !== 200) throw new Error(`GET /api/v1/events: ${res.status} ${await res.text()}`);
          const page = (await res.json()) as { events: typeof pulled; cursor: string };
          pulled.push(...page.events);
          cursor = page.cursor;
        } catch (error) {
          // The server is dead or restarting: ask again, after the same cursor.
          if (!(error instanceof TypeError)) throw error;
          await sleep(100);
        }
      }
    })();
    return {
      pulled,
      cursor: () => cursor,
      stop: async () => {
        stopped = true;
        await done;
      },
    };
  }

  it('delivers every event exactly once to the deduping consumer, in sequence per key, and loses nothing', async () => {
    const first = await startSubscriber(stateDir, 0, population.length);
    subscriber = first.child;
    const subscriberPort = first.port;
    server = await startServerProcess({ ...SERVER_ENV, DATABASE_URL: tdb.url, NEXUS_DATA_DIR: stateDir });

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { accessToken } = (await login.json()) as { accessToken: string };
    const created = await fetch(`${server.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        url: `http://127.0.0.1:${subscriberPort}/hook`,
        events: ['*'],
        secret: WEBHOOK_SECRET,
      }),
    });
    expect(created.status).toBe(201);
    const subscription = (await created.json()) as { id: string; cursor: string };
    const pull = pullConsumer(() => server!.url, accessToken);

    await submitBatch(tdb.db, PARTITIONS, { source: 'k9', records: population.map((p) => p.record) });

    // kill -9 the server early in the stream (mid-batch too: the summary line shows how many were pending).
    await waitUntil('the subscriber has processed some events', () =>
      Promise.resolve(readLines(processedFile).length >= 20),
    );
    await stopProcess(server.child, 'SIGKILL');
    const processedAtServerKill = readLines(processedFile).length;
    const pulledAtServerKill = pull.pulled.length;
    const pendingAtServerKill = await pendingCount(tdb.db);
    await submitBatch(tdb.db, PARTITIONS, { source: 'k9', records: lateComers.map((p) => p.record) });
    server = await startServerProcess({ ...SERVER_ENV, DATABASE_URL: tdb.url, NEXUS_DATA_DIR: stateDir });

    // The subscriber kills itself (kill -9) after processing event n and before answering it.
    if (subscriber.exitCode === null && subscriber.signalCode === null)
      await new Promise((resolve) => subscriber!.once('exit', resolve));
    expect(subscriber.signalCode).toBe('SIGKILL');
    const processedAtSubscriberKill = readLines<Processed>(processedFile);
    const killedOn = processedAtSubscriberKill.at(-1)!;
    const failedAttempts = async () =>
      Number(
        (
          await tdb.db
            .selectFrom('notification_delivery_attempts')
            .select((eb) => eb.fn.countAll<string>().as('n'))
            .where('error', 'is not', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Down: Nexus finds the subscriber gone and keeps the rest for it.
    const failedBefore = await failedAttempts();
    await waitUntil(
      'Nexus has failed to reach the dead subscriber',
      async () => (await failedAttempts()) > failedBefore,
    );
    subscriber = (await startSubscriber(stateDir, subscriberPort)).child;

    const lastNotification = async () =>
      String(
        (
          await tdb.db
            .selectFrom('notifications')
            .select((eb) => eb.fn.max('id').as('last'))
            .executeTakeFirstOrThrow()
        ).last ?? '0',
      );
    await waitUntil(
      'every record is decided and every event delivered and pulled',
      async () => {
        if ((await pendingCount(tdb.db)) > 0) return false;
        const outbox = await tdb.db
          .selectFrom('event_outbox')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(outbox.n) > 0) return false;
        const last = await lastNotification();
        const sub = await tdb.db
          .selectFrom('notification_subscriptions')
          .select('cursor')
          .where('id', '=', subscription.id)
          .executeTakeFirstOrThrow();
        const undelivered = await tdb.db
          .selectFrom('notification_deliveries')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('status', '!=', 'delivered')
          .executeTakeFirstOrThrow();
        return String(sub.cursor) === last && Number(undelivered.n) === 0 && pull.cursor() === last;
      },
      180_000,
    );
    await pull.stop();
    await stopProcess(server.child, 'SIGTERM');
    server = undefined;
    await stopProcess(subscriber, 'SIGTERM');
    subscriber = undefined;

    const log = await tdb.db
      .selectFrom('notifications')
      .select(['id', 'event_id', 'type', 'key', 'sequence'])
      .where('id', '>', subscription.cursor)
      .orderBy('id')
      .execute();
    const processed = readLines<Processed>(processedFile);
    const received = readLines<{ id: string; duplicate: boolean }>(receivedFile);

    // Both kills landed mid-stream.
    expect(processedAtServerKill).toBeGreaterThan(0);
    expect(processedAtServerKill).toBeLessThan(log.length);
    expect(pulledAtServerKill).toBeLessThan(log.length);
    expect(processedAtSubscriberKill.length).toBe(population.length);
    expect(processedAtSubscriberKill.length).toBeLessThan(log.length);
    // Nexus sent the event whose answer died with the subscriber again; the consumer dropped it by id.
    expect(received.filter((r) => r.id === killedOn.id).map((r) => r.duplicate)).toEqual([false, true]);

    // Exactly once after the consumer's de-duplication: every event of the log, none twice.
    expect(new Set(processed.map((p) => p.id)).size).toBe(processed.length);
    expect(processed.map((p) => p.id).sort()).toEqual(log.map((e) => e.event_id).sort());

    // In order per key: each key's events were processed 1, 2, 3... with no gap.
    const perKey = new Map<string, number[]>();
    for (const p of processed) perKey.set(p.key, [...(perKey.get(p.key) ?? []), p.sequence]);
    const outOfOrder = [...perKey].filter(([, seqs]) => seqs.some((s, i) => s !== i + 1));
    expect(outOfOrder).toEqual([]);
    expect(Math.max(...[...perKey.values()].map((s) => s.length))).toBeGreaterThan(1);

    // Nothing accepted was lost: every record is decided, and its decision was heard.
    const records = await tdb.db.selectFrom('records').select(['id', 'status']).execute();
    expect(records).toHaveLength(population.length + lateComers.length);
    expect(records.filter((r) => r.status === 'received' || r.status === 'relayed')).toEqual([]);
    const decided = processed.filter((p) => p.type === 'record.decided').map((p) => p.key);
    expect(decided.sort()).toEqual(records.map((r) => r.id).sort());

    // The pull consumer, across the server's death: the whole log, in order, once.
    expect(pull.pulled.map((e) => e.id)).toEqual(log.map((e) => e.event_id));
    console.info(
      `kill -9: ${log.length} events, ${received.length} deliveries received, ` +
        `${processedAtServerKill} processed and ${pendingAtServerKill} records pending at the server's kill`,
    );
  }, 300_000);
});
