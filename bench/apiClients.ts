// The client side of bench:api, forked by bench/api.ts: its own process, so that the clients'
// request building, parsing and timing do not run on the server's event loop (they still share
// the machine's cores, which the report says).
import http from 'node:http';
import { post } from './httpPost';
import { createNexusClient, type NexusClient } from '../apps/server/src/client/createNexusClient';
import { generatePopulation } from '../apps/server/src/generate/syntheticPeople';

/** `trpcHttp`: the tRPC procedure called with a bare HTTP POST, as REST is, to tell the server's cost from the typed client's. */
export type IngestTarget = 'plain' | 'rest' | 'trpcHttp' | 'trpc';
export type LiveFeed = 'reviewCases' | 'throughput';

export type ClientJob =
  | {
      type: 'ingest';
      target: IngestTarget;
      url: string;
      token: string;
      concurrency: number;
      requests: number;
      source: string;
    }
  | {
      type: 'fanout';
      feed: LiveFeed;
      url: string;
      /** Token of the subscribers. */
      token: string;
      subscribers: number;
      lastEventId: string;
      /** reviewCases: claim/release of this case by `producerToken`, `events` times, `intervalMs` apart; throughput: how long to listen. */
      events: number;
      intervalMs: number;
      caseId?: string;
      producerToken?: string;
    };

export interface IngestResult {
  type: 'ingest';
  seconds: number;
  latenciesMs: number[];
  failures: number;
  firstFailure?: string;
  /** HTTP requests sent (the tRPC client batches calls made in the same tick). */
  httpRequests: number;
}

export interface FanoutResult {
  type: 'fanout';
  /** From the first subscribe call to the last subscription started. */
  subscribeSeconds: number;
  /** Epoch ms: events created in [windowStart, windowEnd] are the ones measured. */
  windowStart: number;
  windowEnd: number;
  /** Per subscriber, every event received: id, creation and receipt (epoch ms). */
  deliveries: Delivery[][];
  errors: string[];
}

let httpRequests = 0;
const realFetch = globalThis.fetch;
// The typed client sends through fetch (undici, keep-alive): counted to show its batching.
globalThis.fetch = (input, init) => {
  httpRequests++;
  return realFetch(input, init);
};

const now = () => performance.timeOrigin + performance.now();

/** Closed loop: `concurrency` callers, each sending its next request as soon as the last one answered. */
async function ingest(job: Extract<ClientJob, { type: 'ingest' }>): Promise<IngestResult> {
  const records = generatePopulation({
    people: job.requests,
    dupRate: 0,
    seed: 7,
    prefix: `${job.source}-`,
  }).map((p) => p.record);
  let call: (i: number) => Promise<string | undefined>;
  let close = () => Promise.resolve();
  if (job.target === 'trpc') {
    const client: NexusClient = createNexusClient(job.url, job.token);
    close = () => client.close();
    call = async (i) => {
      const receipt = await client.trpc.ingest.stream.mutate({ source: job.source, record: records[i] });
      return receipt.recordId ? undefined : 'no record id';
    };
  } else {
    const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
    close = () => Promise.resolve(agent.destroy());
    const route = {
      plain: ['/', 202],
      rest: ['/api/v1/ingest', 202],
      trpcHttp: ['/trpc/ingest.stream', 200],
    } as const;
    const [pathname, ok] = route[job.target];
    const url = new URL(pathname, job.url);
    const bodies = records.map((record) => JSON.stringify({ source: job.source, record }));
    const token = job.target === 'plain' ? undefined : job.token;
    call = async (i) => {
      httpRequests++;
      const body = bodies[i];
      if (body === undefined) throw new Error(`no request body ${i} of ${bodies.length}`);
      const res = await post(agent, url, body, token);
      return res.status === ok ? undefined : `${res.status} ${res.text.slice(0, 200)}`;
    };
  }
  httpRequests = 0;
  const latenciesMs: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      for (let i = next++; i < job.requests; i = next++) {
        const t0 = performance.now();
        const failure = await call(i).catch((error: unknown) => String(error));
        latenciesMs.push(performance.now() - t0);
        if (failure) {
          failures++;
          firstFailure ??= failure;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await close();
  return { type: 'ingest', seconds, latenciesMs, failures, firstFailure, httpRequests };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export type Delivery = [eventId: string, createdAt: number, receivedAt: number];

/** `subscribers` typed clients, one WebSocket each, on one live feed; each event timed from its `at`. */
async function fanout(job: Extract<ClientJob, { type: 'fanout' }>): Promise<FanoutResult> {
  const errors: string[] = [];
  const deliveries: Delivery[][] = [];
  const clients: NexusClient[] = [];
  const subs: Array<{ unsubscribe(): void }> = [];
  const subscribeStart = performance.now();
  await new Promise<void>((resolve) => {
    let started = 0;
    const handlers = (seen: Delivery[]) => ({
      onStarted: () => {
        if (++started === job.subscribers) resolve();
      },
      onData: (event: { id: string; data: { at: string } }) => {
        seen.push([event.id, Date.parse(event.data.at), now()]);
      },
      onError: (error: unknown) => errors.push(String(error)),
    });
    for (let s = 0; s < job.subscribers; s++) {
      const seen: Delivery[] = [];
      deliveries.push(seen);
      const client = createNexusClient(job.url, job.token);
      clients.push(client);
      const input = { lastEventId: job.lastEventId };
      subs.push(
        job.feed === 'reviewCases'
          ? client.trpc.live.reviewCases.subscribe(input, handlers(seen))
          : client.trpc.live.throughput.subscribe(input, handlers(seen)),
      );
    }
  });
  const subscribeSeconds = (performance.now() - subscribeStart) / 1000;
  // Only events created from here on count: earlier ones reached the subscribers as backlog.
  const windowStart = Math.floor(now());
  if (job.feed === 'reviewCases') {
    const { producerToken, caseId } = job;
    if (producerToken === undefined || caseId === undefined)
      throw new Error('a reviewCases fan-out needs the caseId and producerToken to claim it with');
    const producer = createNexusClient(job.url, producerToken);
    for (let e = 0; e < job.events; e++) {
      await (e % 2 === 0
        ? producer.trpc.review.claim.mutate({ caseId })
        : producer.trpc.review.release.mutate({ caseId }));
      await sleep(job.intervalMs);
    }
    await producer.close();
  } else {
    await sleep(job.events * job.intervalMs);
  }
  const windowEnd = Date.now();
  if (job.feed === 'reviewCases') {
    // Every claim and release is one event: wait until each subscriber has them all, or give up.
    const deadline = Date.now() + 10_000;
    const complete = (seen: Delivery[]) => seen.filter((d) => d[1] >= windowStart).length >= job.events;
    while (Date.now() < deadline && !deliveries.every(complete)) await sleep(50);
  } else {
    // The feed ticks each second: the window's last sample is out within the next 1.5 s.
    await sleep(1500);
  }
  for (const sub of subs) sub.unsubscribe();
  await Promise.all(clients.map((c) => c.close()));
  return { type: 'fanout', subscribeSeconds, windowStart, windowEnd, deliveries, errors };
}

/** Answers bench:api, which forked this process (a message came in, so the IPC channel is there). */
function reply(message: IngestResult | FanoutResult | { type: 'error'; error: string }): void {
  if (!process.send) throw new Error('apiClients.ts has no IPC channel: bench:api forks it');
  process.send(message);
}

process.on('message', (job: ClientJob) => {
  const run = job.type === 'ingest' ? ingest(job) : fanout(job);
  run.then(reply, (error: unknown) => reply({ type: 'error', error: String(error) }));
});
