// The client side of bench:identify, forked by bench/identify.ts: closed-loop callers in a process
// of their own, posting the mix of /identify requests over keep-alive connections.
import http from 'node:http';
import { post } from './httpPost';

export type IdentifyTarget = 'plain' | 'rest';

export interface IdentifyJob {
  target: IdentifyTarget;
  url: string;
  /** Bearer token for the REST route (the plain handler takes none). */
  token: string;
  concurrency: number;
  seconds: number;
  /** Contacts pre-filled: ids 1..known, values as `knownContact` writes them. */
  known: number;
  /** New identities of this run are numbered from here, so runs never repeat one. */
  newFrom: number;
}

export interface IdentifyRun {
  seconds: number;
  latenciesMs: number[];
  kinds: { lookup: number; fresh: number; bridge: number };
  failures: number;
  firstFailure?: string;
}

/** The values of pre-filled contact i (bench/identify.ts writes the same): every fifth is a secondary sharing the phone before it. */
export function knownContact(i: number): { email: string; phoneNumber: string } {
  const phoneOf = (n: number) => `9${String(n).padStart(9, '0')}`;
  return { email: `c${i}@bench.test`, phoneNumber: phoneOf(i % 5 === 0 ? i - 1 : i) };
}

const pick = (n: number) => 1 + Math.floor(Math.random() * n);

/** 60% lookups of known values (email, phone or both), 30% new identities, 10% bridges of two known families. */
function nextBody(job: IdentifyJob, seq: () => number): { kind: keyof IdentifyRun['kinds']; body: string } {
  const r = Math.random();
  if (r < 0.6) {
    const c = knownContact(pick(job.known));
    const which = Math.random();
    const body = which < 1 / 3 ? { email: c.email } : which < 2 / 3 ? { phoneNumber: c.phoneNumber } : c;
    return { kind: 'lookup', body: JSON.stringify(body) };
  }
  if (r < 0.9) {
    const n = seq();
    return {
      kind: 'fresh',
      body: JSON.stringify({ email: `n${n}@new.bench.test`, phoneNumber: `7${String(n).padStart(9, '0')}` }),
    };
  }
  const a = knownContact(pick(job.known));
  const b = knownContact(pick(job.known));
  return { kind: 'bridge', body: JSON.stringify({ email: a.email, phoneNumber: b.phoneNumber }) };
}

async function run(job: IdentifyJob): Promise<IdentifyRun> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const url = new URL(job.target === 'plain' ? '/identify' : '/identify', job.url);
  const token = job.target === 'plain' ? undefined : job.token;
  let next = job.newFrom;
  const seq = () => next++;
  const latenciesMs: number[] = [];
  const kinds = { lookup: 0, fresh: 0, bridge: 0 };
  let failures = 0;
  let firstFailure: string | undefined;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (performance.now() < deadline) {
        const { kind, body } = nextBody(job, seq);
        const t0 = performance.now();
        const res = await post(agent, url, body, token).catch((error: unknown) => ({
          status: 0,
          text: String(error),
        }));
        latenciesMs.push(performance.now() - t0);
        kinds[kind]++;
        if (res.status !== 200) {
          failures++;
          firstFailure ??= `${res.status} ${res.text.slice(0, 200)}`;
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { seconds, latenciesMs, kinds, failures, firstFailure };
}

/** Answers bench:identify, which forked this process (a message came in, so the IPC channel is there). */
function reply(message: { type: 'result'; result: IdentifyRun } | { type: 'error'; error: string }): void {
  if (!process.send) throw new Error('identifyClients.ts has no IPC channel: bench:identify forks it');
  process.send(message);
}

process.on('message', (job: IdentifyJob) => {
  run(job).then(
    (result) => reply({ type: 'result', result }),
    (error: unknown) => reply({ type: 'error', error: String(error) }),
  );
});
