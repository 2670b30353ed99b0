// npm run bench:identify [-- --contacts=N --rounds=N --seconds=N]: /identify under closed-loop load
// from a second process, over a contacts table pre-filled with 1,000,000 contacts: 60% lookups of
// known values, 30% new identities, 10% bridges of two known families; REST (an ingest service
// account's API key) against a bare Node handler running the same transaction, with 16 and 64
// callers in flight. Run by hand, not in CI; writes its section of docs/benchmarks.md.
import { fork } from 'node:child_process';
import { createDb } from '@nexus/actors';
import { phoneKey } from '../apps/server/src/identify/contactValues';
import { freshDatabase, ingestApiKey, postgresVersion } from './benchDatabase';
import { fillContacts } from './identifyDatabase';
import { knownContact, type IdentifyJob, type IdentifyRun, type IdentifyTarget } from './identifyClients';
import { startPlainIdentifyServer } from './plainIdentifyServer';
import { numberArg } from './args';
import { startBenchNexus } from './benchServer';
import { loadAverage, machineLine, writeBenchmarkSection } from './report';

const CONTACTS = numberArg('contacts', 1_000_000);
const ROUNDS = numberArg('rounds', 3);
const SECONDS = numberArg('seconds', 8);
const IN_FLIGHT = [16, 64];
const TARGETS: IdentifyTarget[] = ['plain', 'rest'];
const LABEL: Record<IdentifyTarget, string> = {
  plain: 'bare Node handler, same transaction',
  rest: 'REST `POST /identify` (API key)',
};

const percentile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))] ?? NaN;
const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const ms = (v: number) => `${v.toFixed(1)} ms`;
const loadNow = () => loadAverage().toFixed(1);

async function main() {
  const started = performance.now();
  const loadAtStart = loadNow();
  const database = await freshDatabase('identify');
  // No records are sent: the deciders, stopped, would only compete for the 2 cores.
  const nexus = await startBenchNexus(database);
  const plainDb = createDb(database.url, { maxConnections: 10, applicationName: 'nexus-bench-plain' });
  const plain = await startPlainIdentifyServer(plainDb);
  const clients = fork(new URL('./identifyClients.ts', import.meta.url));
  const stop = async () => {
    clients.kill();
    await plain.close();
    await plainDb.destroy();
    await nexus.shutdown.shutdown();
    await database.drop();
  };
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  try {
    const db = nexus.db;
    const pgVersion = await postgresVersion(db);
    const fillSeconds = await fillContacts(db, CONTACTS);
    // The pre-filled keys must be what the service computes from the values the clients send.
    for (const i of [1, 5, CONTACTS]) {
      const c = knownContact(i);
      const row = await db
        .selectFrom('contacts')
        .select(['email_key', 'phone_key'])
        .where('id', '=', i)
        .executeTakeFirstOrThrow();
      if (row.email_key !== c.email || row.phone_key !== phoneKey(c.phoneNumber, undefined))
        throw new Error(`pre-filled contact ${i} does not match the values the clients send`);
    }
    console.log(`${CONTACTS.toLocaleString('en')} contacts pre-filled in ${fillSeconds.toFixed(1)} s`);

    const apiKey = await ingestApiKey(db, 'bench-identify');
    let newFrom = 1;
    const run = (target: IdentifyTarget, concurrency: number, seconds: number) =>
      new Promise<IdentifyRun>((resolve, reject) => {
        const job: IdentifyJob = {
          target,
          url: target === 'plain' ? plain.url : nexus.http.url,
          token: apiKey,
          concurrency,
          seconds,
          known: CONTACTS,
          newFrom,
        };
        newFrom += 10_000_000;
        clients.once(
          'message',
          (m: { type: 'result'; result: IdentifyRun } | { type: 'error'; error: string }) =>
            m.type === 'error' ? reject(new Error(m.error)) : resolve(m.result),
        );
        clients.send(job);
      });

    for (const target of TARGETS) await run(target, 16, 3); // warm-up: JIT, pools, plans
    const contactsBefore = Number(
      (
        await db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const results = new Map<string, IdentifyRun[]>();
    for (let round = 1; round <= ROUNDS; round++) {
      for (const inFlight of IN_FLIGHT) {
        for (const target of TARGETS) {
          const r = await run(target, inFlight, SECONDS);
          const key = `${target}:${inFlight}`;
          results.set(key, [...(results.get(key) ?? []), r]);
          console.log(
            `round ${round}, ${target}, ${inFlight} in flight: ${(r.latenciesMs.length / r.seconds).toFixed(0)} req/s, ${r.failures} failures${r.firstFailure ? ` (${r.firstFailure})` : ''}`,
          );
        }
      }
    }
    const contactsAfter = Number(
      (
        await db
          .selectFrom('contacts')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    const loadAtEnd = loadNow();

    const goals: string[] = [];
    const rows: string[] = [];
    const ratios: string[] = [];
    let requests = 0;
    let failures = 0;
    const kinds = { lookup: 0, fresh: 0, bridge: 0 };
    const runsOf = (target: IdentifyTarget, inFlight: number) => {
      const runs = results.get(`${target}:${inFlight}`);
      if (!runs) throw new Error(`no runs of ${target} at ${inFlight} in flight`);
      return runs;
    };
    for (const inFlight of IN_FLIGHT) {
      const figures = new Map<IdentifyTarget, { rps: number[]; p50: number; p95: number; p99: number }>();
      for (const target of TARGETS) {
        const runs = runsOf(target, inFlight);
        const all = runs.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
        const rps = runs.map((r) => r.latenciesMs.length / r.seconds);
        for (const r of runs) {
          requests += r.latenciesMs.length;
          failures += r.failures;
          for (const k of Object.keys(kinds) as Array<keyof typeof kinds>) kinds[k] += r.kinds[k];
        }
        const f = { rps, p50: percentile(all, 0.5), p95: percentile(all, 0.95), p99: percentile(all, 0.99) };
        figures.set(target, f);
        rows.push(
          `| ${LABEL[target]} | ${inFlight} | **${median(rps).toFixed(0)}** (${Math.min(...rps).toFixed(0)}-${Math.max(...rps).toFixed(0)}) | ${ms(f.p50)} | ${ms(f.p95)} | ${ms(f.p99)} |`,
        );
      }
      const plainRuns = runsOf('plain', inFlight);
      const restRuns = runsOf('rest', inFlight);
      // Ratios within a round: both targets ran back to back under the same outside load.
      const perRound = restRuns.map((r, i) => {
        const plain = plainRuns[i];
        if (!plain) throw new Error(`no plain run for round ${i + 1} at ${inFlight} in flight`);
        return r.latenciesMs.length / r.seconds / (plain.latenciesMs.length / plain.seconds);
      });
      const p = figures.get('plain');
      const r = figures.get('rest');
      if (!p || !r) throw new Error(`no plain or REST figures at ${inFlight} in flight`);
      const rps = median(restRuns.map((x) => x.latenciesMs.length / x.seconds));
      goals.push(
        `${inFlight} in flight: REST ${rps.toFixed(0)} requests/s (goal over 1,000: ${rps > 1000 ? 'met' : 'not met'}), p95 ${ms(r.p95)} (goal under 50 ms: ${r.p95 < 50 ? 'met' : 'not met'})`,
      );
      ratios.push(
        `| ${inFlight} | ${(median(perRound) * 100).toFixed(0)}% (${perRound.map((x) => `${(x * 100).toFixed(0)}%`).join(', ')}) | ${(r.p95 / p.p95).toFixed(2)}× | ${(r.p99 / p.p99).toFixed(2)}× |`,
      );
    }

    const body = `
${machineLine()}, ${((performance.now() - started) / 1000).toFixed(0)} s, **on a loaded machine**: load
average ${loadAtStart} at the start and ${loadAtEnd} at the end on 2 cores shared with other engineers'
work, so absolute figures are lower bounds of what the code does alone; compare the REST route with
the bare handler of the same run. Postgres ${pgVersion} (${database.label}), ${CONTACTS.toLocaleString('en')}
contacts pre-filled with one \`INSERT ... SELECT generate_series\` in ${fillSeconds.toFixed(0)} s (every fifth a
secondary sharing its primary's phone), then analyzed. One Nexus server as \`nexus start\` starts it
(request logs at info into /dev/null, the rate limit raised, deciders stopped, a pool of 10
connections); beside it a bare Node \`http\` handler running the same validation and the same
transaction (\`identifyContact\`) on a pool of 10 of its own: the ceiling. Clients in a forked
process, closed loop over keep-alive connections, each run ${SECONDS} s, ${ROUNDS} rounds interleaved;
the mix: 60% lookups of known values (email, phone or both of one contact), 30% new identities,
10% bridges (the email of one known contact with the phone of another: two families joined, or
nothing when they already are). ${requests.toLocaleString('en')} requests measured (${kinds.lookup.toLocaleString('en')} lookups,
${kinds.fresh.toLocaleString('en')} new, ${kinds.bridge.toLocaleString('en')} bridges), ${failures} failed; the table grew from
${contactsBefore.toLocaleString('en')} to ${contactsAfter.toLocaleString('en')} contacts.

| target | in flight | requests/s (runs' range) | p50 | p95 | p99 |
|---|---|---|---|---|---|
${rows.join('\n')}

REST against the bare handler of the same round:

| in flight | REST requests/s, share of bare (per round) | p95, REST / bare | p99, REST / bare |
|---|---|---|---|
${ratios.join('\n')}

Goals (p95 under 50 ms, over 1,000 requests/s, on this 2-core machine) in this run: ${goals.join('; ')}.
With a load average of ${loadAtStart}-${loadAtEnd} on 2 cores this process had a small share of them;
the ratios to the bare handler are the figures to read, absolute ones only on a quiet machine.
`;
    writeBenchmarkSection('/identify (npm run bench:identify)', body);
    console.log(body);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
