// npm run bench:api [-- --requests=N --rounds=N --subscribers=N]: what the API costs to take one
// streamed record (REST and tRPC, against a bare Node handler calling the same service) and how
// fast a live event reaches every one of 200 WebSocket subscribers. A server is started here, as
// `nexus start` starts it, on a fresh database; the clients run in a forked process.
import { fork } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { authenticate } from '../apps/server/src/auth/authService';
import { streamRecord } from '../apps/server/src/ingest/streamRecord';
import type { RunningNexus } from '../apps/server/src/server';
import { addUser } from '../apps/server/src/users/usersService';
import type { ClientJob, FanoutResult, IngestResult, IngestTarget, LiveFeed } from './apiClients';
import {
  fanoutFigures,
  ingestFigures,
  median,
  overheadRow,
  type FanoutFigures,
  type IngestFigures,
} from './apiFigures';
import { startPlainIngestServer } from './plainIngestServer';
import { numberArg } from './args';
import { startBenchNexus } from './benchServer';
import { freshDatabase, ingestApiKey, onlyRow, postgresVersion, type BenchDatabase } from './benchDatabase';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';

const REQUESTS = numberArg('requests', 1000);
const ROUNDS = numberArg('rounds', 5);
const SUBSCRIBERS = numberArg('subscribers', 200);
const IN_FLIGHT = [1, 16, 64];
const TARGETS: IngestTarget[] = ['plain', 'rest', 'trpcHttp', 'trpc'];
/** One caller waits for each answer: fewer requests keep that run about as long as the others. */
const requestsAt = (inFlight: number) => (inFlight === 1 ? Math.round(REQUESTS / 7.5) : REQUESTS);

async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

async function person(nexus: RunningNexus, username: string, role: 'operator' | 'reviewer') {
  const password = randomBytes(12).toString('hex');
  await addUser(nexus.db, { username, role, password }, 'bench');
  return login(nexus.http.url, username, password);
}

/** One open review case, written as the engine would leave it, for a reviewer to claim and release. */
async function seedReviewCase(nexus: RunningNexus): Promise<string> {
  const recordId = randomUUID();
  await nexus.db
    .insertInto('records')
    .values({
      id: recordId,
      batch_id: null,
      source: 'bench-fanout',
      external_id: 'case-1',
      partition: 0,
      payload: JSON.stringify({ external_id: 'case-1', given_name: 'Ana', family_name: 'Silva' }) as never,
      status: 'review',
      explanation: null,
    })
    .execute();
  const caseId = randomUUID();
  await nexus.db
    .insertInto('review_cases')
    .values({ id: caseId, record_id: recordId, kind: 'possible_match', status: 'open', score: -1 })
    .execute();
  return caseId;
}

/** Mean milliseconds of `fn` over `times` calls, one at a time. */
async function meanMs(times: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn(-1 - i);
  const started = performance.now();
  for (let i = 0; i < times; i++) await fn(i);
  return (performance.now() - started) / times;
}

const loadNow = () => loadAverage().toFixed(1);

async function main() {
  const benchStarted = performance.now();
  const loadAtStart = loadNow();
  const database = await freshDatabase('api');
  const nexus = await startBenchNexus(database);
  const plain = await startPlainIngestServer(nexus.db, nexus.engine.bus);
  const clients = fork(new URL('./apiClients.ts', import.meta.url));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clients.kill();
      await plain.close();
      const errors = await nexus.shutdown.shutdown();
      if (errors.length > 0) console.error(`shutdown: ${errors.join('; ')}`);
      await database.drop();
    })());
  // Ctrl-C would otherwise leave the embedded Postgres running.
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  const run = <T>(job: ClientJob) =>
    new Promise<T>((resolve, reject) => {
      clients.once('message', (m: T | { type: 'error'; error: string }) =>
        (m as { type: string }).type === 'error'
          ? reject(new Error((m as { error: string }).error))
          : resolve(m as T),
      );
      clients.send(job);
    });
  try {
    const pgVersion = await postgresVersion(nexus.db);
    const ingestKey = await ingestApiKey(nexus.db, 'bench-ingest');
    const ingest = (target: IngestTarget, inFlight: number, requests: number, source: string) =>
      run<IngestResult>({
        type: 'ingest',
        target,
        url: target === 'plain' ? plain.url : nexus.http.url,
        token: ingestKey,
        concurrency: inFlight,
        requests,
        source,
      });

    console.log(`server: ${nexus.http.url} on ${database.label}, Postgres ${pgVersion}; deciders stopped`);
    let accepted = 0;
    for (const target of TARGETS) {
      const warm = await ingest(target, 16, 300, `warm-${target}`);
      accepted += warm.latenciesMs.length - warm.failures;
    }
    const runs = new Map<string, IngestFigures[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      // Interleaved, so that a slow stretch of the machine falls on every path alike.
      for (const inFlight of IN_FLIGHT) {
        for (const target of TARGETS) {
          const cpu = process.cpuUsage();
          const result = await ingest(
            target,
            inFlight,
            requestsAt(inFlight),
            `bench-${target}-${inFlight}-${round}`,
          );
          if (result.failures > 0)
            throw new Error(`${target}: ${result.failures} failed, e.g. ${result.firstFailure}`);
          accepted += result.latenciesMs.length;
          const { user, system } = process.cpuUsage(cpu);
          const figures = ingestFigures(result, (user + system) / 1000);
          const key = `${target}/${inFlight}`;
          runs.set(key, [...(runs.get(key) ?? []), figures]);
          console.log(
            `round ${round} ${target.padEnd(8)} ${String(inFlight).padStart(2)} in flight: ${figures.perSecond.toFixed(0)} req/s, p50 ${figures.p50.toFixed(2)} ms, p95 ${figures.p95.toFixed(2)} ms, Nexus CPU ${figures.cpuMs.toFixed(3)} ms a call, ${figures.callsPerRequest.toFixed(1)} calls per HTTP request`,
          );
        }
      }
    }
    const published = Number(
      onlyRow(
        await sql<{ n: string }>`select count(*) as n from bus_messages`.execute(nexus.db),
        'the bus count',
      ).n,
    );
    const busLine =
      published === accepted
        ? `Every accepted record is on the bus: ${published.toLocaleString('en')} messages for ${accepted.toLocaleString('en')} accepted calls`
        : `LOST: ${accepted.toLocaleString('en')} records accepted but ${published.toLocaleString('en')} on the bus`;
    console.log(busLine);

    // Where a call's time goes: each server-side step alone, one call at a time, nothing else running.
    const operatorToken = await person(nexus, 'bench-operator', 'operator');
    const parts = {
      apiKey: await meanMs(500, () => authenticate(nexus.deps.auth, ingestKey)),
      jwt: await meanMs(500, () => authenticate(nexus.deps.auth, operatorToken)),
      service: await meanMs(500, (i) =>
        streamRecord(
          nexus.db,
          nexus.engine.bus,
          {
            source: 'bench-parts',
            record: {
              external_id: `p${i}`,
              given_name: 'Ana',
              family_name: 'Silva',
              date_of_birth: '1980-02-03',
            },
          },
          null,
        ),
      ),
    };
    console.log(
      `alone: authenticate API key ${parts.apiKey.toFixed(2)} ms, JWT ${parts.jwt.toFixed(2)} ms; streamRecord ${parts.service.toFixed(2)} ms`,
    );

    const fanouts: Array<FanoutFigures & { feed: LiveFeed }> = [];
    const reviewerToken = await person(nexus, 'bench-reviewer', 'reviewer');
    const caseId = await seedReviewCase(nexus);
    {
      const lastAudit =
        onlyRow(
          await sql<{ id: string | null }>`select max(id) as id from audit_log`.execute(nexus.db),
          'the last audit id',
        ).id ?? '0';
      const result = await run<FanoutResult>({
        type: 'fanout',
        feed: 'reviewCases',
        url: nexus.http.url,
        token: operatorToken,
        subscribers: SUBSCRIBERS,
        lastEventId: lastAudit,
        events: 40,
        intervalMs: 100,
        caseId,
        producerToken: reviewerToken,
      });
      const created = await nexus.db
        .selectFrom('audit_log')
        .select(['id', 'at'])
        .where('id', '>', lastAudit)
        .where('entity_type', '=', 'review_case')
        .execute();
      fanouts.push({
        feed: 'reviewCases',
        ...fanoutFigures(
          result,
          created.map((r) => String(r.id)),
        ),
      });
    }
    {
      const ring = nexus.deps.live.throughput;
      const lastTick = String(ring.latest()?.id ?? 0);
      const result = await run<FanoutResult>({
        type: 'fanout',
        feed: 'throughput',
        url: nexus.http.url,
        token: operatorToken,
        subscribers: SUBSCRIBERS,
        lastEventId: lastTick,
        events: 6,
        intervalMs: 1000,
      });
      const ticks = ring
        .since(Number(lastTick))
        .filter((e) => {
          const at = Date.parse(e.data.at);
          return at >= result.windowStart && at <= result.windowEnd;
        })
        .map((e) => String(e.id));
      fanouts.push({ feed: 'throughput', ...fanoutFigures(result, ticks) });
    }
    for (const f of fanouts) {
      console.log(
        `live.${f.feed}: ${f.subscribers} subscribers (subscribed in ${f.subscribeSeconds.toFixed(1)} s), ${f.events} events, ${f.delivered}/${f.expected} deliveries: p50 ${f.p50.toFixed(1)} ms, p95 ${f.p95.toFixed(1)} ms, max ${f.max.toFixed(1)} ms; reached all: p50 ${f.allP50.toFixed(1)} ms`,
      );
      if (f.lost > 0)
        console.log(
          `live.${f.feed}: LOST ${f.lost} deliveries (${f.subscribersMissing} subscribers missed events)`,
        );
      if (f.duplicates > 0) console.log(`live.${f.feed}: ${f.duplicates} events delivered twice`);
      if (f.errors.length > 0)
        console.log(`live.${f.feed}: subscription errors: ${f.errors.slice(0, 3).join('; ')}`);
    }

    const seconds = (performance.now() - benchStarted) / 1000;
    console.log(`bench:api took ${seconds.toFixed(0)} s`);
    // A run with other sizes than the defaults is a try-out: it leaves docs/benchmarks.md alone.
    if (process.argv.slice(2).some((a) => a.startsWith('--')))
      console.log('docs/benchmarks.md left as it was (sizes given)');
    else
      writeReport({
        database,
        pgVersion,
        runs,
        parts,
        fanouts,
        busLine,
        seconds,
        load: [loadAtStart, loadNow()],
      });
  } finally {
    await stop();
  }
}

function writeReport(r: {
  database: BenchDatabase;
  pgVersion: string;
  runs: Map<string, IngestFigures[]>;
  parts: { apiKey: number; jwt: number; service: number };
  fanouts: Array<FanoutFigures & { feed: LiveFeed }>;
  busLine: string;
  seconds: number;
  load: [string, string];
}) {
  const label: Record<IngestTarget, string> = {
    plain: 'bare Node handler, same service',
    rest: 'REST `POST /api/v1/ingest`',
    trpcHttp: 'tRPC `ingest.stream`, bare HTTP POST',
    trpc: 'tRPC `ingest.stream`, typed client',
  };
  const runsOf = (target: IngestTarget, inFlight: number) => {
    const runs = r.runs.get(`${target}/${inFlight}`);
    if (!runs) throw new Error(`no runs of ${target} at ${inFlight} in flight`);
    return runs;
  };
  const med = (target: IngestTarget, inFlight: number) => median(runsOf(target, inFlight));
  const ms = (n: number) => `${n.toFixed(2)} ms`;
  const ingestRows = IN_FLIGHT.flatMap((inFlight) =>
    TARGETS.map((target) => {
      const m = med(target, inFlight);
      const rates = runsOf(target, inFlight).map((f) => f.perSecond);
      const range = `${Math.min(...rates).toFixed(0)}-${Math.max(...rates).toFixed(0)}`;
      return `| ${label[target]} | ${inFlight} | **${m.perSecond.toFixed(0)}** (${range}) | ${ms(m.p50)} | ${ms(m.p95)} | ${m.cpuMs.toFixed(3)} ms | ${m.callsPerRequest.toFixed(1)} |`;
    }),
  );
  const overheadRows = IN_FLIGHT.flatMap((inFlight) =>
    (['rest', 'trpcHttp', 'trpc'] as const).map((target) =>
      overheadRow(label[target], inFlight, med('plain', inFlight), med(target, inFlight)),
    ),
  );
  const at = (inFlight: number) =>
    Object.fromEntries(TARGETS.map((t) => [t, med(t, inFlight)])) as Record<IngestTarget, IngestFigures>;
  const at1 = at(1);
  const at16 = at(16);
  const cpu = (n: number) => `${n.toFixed(2)} ms`;
  const fanRows = r.fanouts.map(
    (f) =>
      `| \`live.${f.feed}\` | ${f.subscribers} | ${f.events} | ${f.delivered.toLocaleString('en')} / ${f.expected.toLocaleString('en')}${f.lost > 0 ? ` (**${f.lost} lost**)` : ''} | ${f.p50.toFixed(1)} ms | ${f.p95.toFixed(1)} ms | ${f.max.toFixed(1)} ms | ${f.allP50.toFixed(1)} ms / ${f.allMax.toFixed(1)} ms |`,
  );
  const fanoutOf = (feed: LiveFeed) => {
    const fanout = r.fanouts.find((f) => f.feed === feed);
    if (!fanout) throw new Error(`no fan-out figures for live.${feed}`);
    return fanout;
  };
  const review = fanoutOf('reviewCases');
  const ticks = fanoutOf('throughput');
  writeBenchmarkSection(
    'API (npm run bench:api)',
    `${machineLine()}, ${r.seconds.toFixed(0)} s, load average ${r.load[0]} at the start and ${r.load[1]} at the end (other
work shares these 2 cores). One Nexus server started as \`nexus start\` starts it (HTTP + WebSocket,
auth, request logs at info into /dev/null, a pool of 10 connections) on ${r.database.label},
Postgres ${r.pgVersion}, with **the deciders stopped** (streamed records stay on the bus: these are
the API's figures, not the engine's) and **the rate limit raised** (NEXUS_RATE_LIMIT_RPS and
NEXUS_RATE_LIMIT_BURST = 1,000,000; the default 50/s per client would answer 429). Path B, one
record per call, four ways: the service (\`streamRecord\`) behind a bare Node \`http\` handler (no
auth, routing, rate limit, request id or log line), REST, the tRPC procedure called with a bare
HTTP POST, and the typed client (\`createNexusClient\`, whose httpBatchLink batches calls made
together). \`POST /api/v1/records\` is path A (batches) and is not measured here. The clients run in
a forked process, over keep-alive connections (a node:http Agent; the typed client's fetch),
closed loop; the ingest account is a service account with an API key. Each row is the median of
${ROUNDS} interleaved runs of ${REQUESTS.toLocaleString('en')} calls (${requestsAt(1)} with 1 in flight). ${r.busLine}.

| path B (stream) | in flight | calls/s (runs' range) | p50 | p95 | Nexus CPU per call | calls per HTTP request |
|---|---|---|---|---|---|---|
${ingestRows.join('\n')}

Overhead against the bare handler: wall time per call (1 / calls/s), the Nexus process's CPU time
per call (user + system, the figure other load on the machine disturbs least), and p95:

| path | in flight | time per call, over bare | Nexus CPU per call, over bare | p95 over bare |
|---|---|---|---|---|
${overheadRows.join('\n')}

Each step alone, one call at a time: authenticating an API key ${ms(r.parts.apiKey)} (a select of
key and account, and the at-most-once-a-minute \`last_used_at\` update, sent every time), a JWT
${ms(r.parts.jwt)} (signature, then the account read), \`streamRecord\` ${ms(r.parts.service)} (validate, look up
(source, external_id), one bus transaction: partition offset, insert, notify).

Live fan-out: ${SUBSCRIBERS} typed clients (one WebSocket each, an operator's token) subscribed at once; latency
from the event's \`at\` to its receipt in the client process, over every delivery; "reached all" is,
per event, the time until the last subscriber had it. \`live.reviewCases\`: a reviewer claims and
releases one case through the API every 100 ms (each an audit entry and a nudge); every
subscriber tails the audit log itself. \`live.throughput\`: the per-second sample, one in-memory
ring pushed to every subscriber.

| feed | subscribers | events | deliveries | p50 | p95 | max | reached all, p50 / max |
|---|---|---|---|---|---|---|---|
${fanRows.join('\n')}

Reading: per call, the Nexus process spends ${cpu(at16.plain.cpuMs)} of CPU behind the bare handler at 16 in
flight (JSON, validation, the pg driver and Kysely for a lookup and a four-statement bus
transaction). REST adds ${cpu(at16.rest.cpuMs - at16.plain.cpuMs)}: authentication (an API key is a select and an update,
${ms(r.parts.apiKey)} alone with the waits), routing, the request id and the log line. tRPC over a bare POST adds
${cpu(at16.trpcHttp.cpuMs - at16.plain.cpuMs)}, ${cpu(at16.trpcHttp.cpuMs - at16.rest.cpuMs)} more than REST: its Node adapter turns each request into a Fetch
\`Request\` with a stream body and writes a Fetch \`Response\` back. The typed client batches
${at16.trpc.callsPerRequest.toFixed(1)} calls per HTTP request, so one context and one authentication serve a batch: ${cpu(at16.trpc.cpuMs)}
a call. In wall time, with one call in flight, REST answers ${ms(at1.rest.p50 - at1.plain.p50)} after the bare handler (p50)
and the typed client ${ms(at1.trpc.p50 - at1.trpcHttp.p50)} after a bare POST to the same procedure, mostly in the client
process (fetch, the links): the server's CPU per call differs by ${cpu(at1.trpc.cpuMs - at1.trpcHttp.cpuMs)}. Under load every path waits on Postgres (the service alone: ${ms(r.parts.service)} a call, one
commit each, on a pool of 10 connections), so calls/s follow the database and the machine
more than the layers; the runs' ranges show how much. Fan-out: an audit-fed event costs one
query per subscriber (${review.subscribers} tails share the pool), so the last of them has it ${review.allP50.toFixed(0)} ms after its
\`at\` (median event); an in-memory sample reaches all ${ticks.subscribers} in ${ticks.allP50.toFixed(0)} ms, the WebSocket sends and
the subscribers' parsing: the tails cost the difference.`,
  );
}

await main();
