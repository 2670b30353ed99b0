import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTech5Simulator, syntheticCapture, type Tech5Simulator } from '@nexus/tech5-sim';
import { AbisClient } from './abisClient';
import { Tech5RequestError, Tech5UnavailableError } from './errors';
import { LdsClient } from './ldsClient';

let sim: Tech5Simulator;
const fast = {
  timeoutMs: 300,
  maxAttempts: 3,
  baseBackoffMs: 20,
  maxBackoffMs: 50,
  breakerFailures: 50,
  breakerOpenMs: 200,
};
/**
 * For the tests that are not about timeouts: a first call (cold simulator, a PNG to decode) can
 * pass 300 ms on a loaded machine, and a retry after a timeout would read as "already enrolled" or
 * as a retry the simulator never refused.
 */
const patient = { ...fast, timeoutMs: 10_000 };
const face = (person: number, take: number) =>
  `data:image/png;base64,${syntheticCapture({ subject: { family: 900 + person, member: 0 }, captureSeed: take }).png.toString('base64')}`;

beforeAll(async () => {
  sim = await startTech5Simulator();
});
afterAll(async () => {
  await sim?.close();
});
beforeEach(() => {
  sim.setFaults({});
  sim.resetStats();
});

describe('Tech5 clients', () => {
  it('insert (idempotently), identify and count through MOSIP messages', async () => {
    const abis = new AbisClient(sim.abisUrl, patient);
    expect(await abis.insert('a1', face(1, 1))).toEqual({ existed: false });
    expect(await abis.insert('a1', face(1, 1))).toEqual({ existed: true });
    await abis.insert('a2', face(2, 1));
    const matches = await abis.identify({ referenceUrl: face(1, 2), maxResults: 5, targetFPIR: 10 });
    expect(matches[0]).toMatchObject({ referenceId: 'a1' });
    expect(matches[0]!.scaledScore).toBeGreaterThan(40);
    expect(await abis.referenceCount()).toBe(2);
    expect(await abis.delete('a2')).toBe(true);
    expect(await abis.delete('a2')).toBe(false);
    await abis.ping();
    expect(await abis.pendingJobs()).toBe(0);
  });

  it('retries 5xx with backoff until the service is back', async () => {
    const lds = new LdsClient(sim.ldsUrl, { ...patient, maxAttempts: 8 });
    sim.setFaults({ services: ['lds'], unavailable: true });
    const answer = lds.check(face(1, 1));
    await sleep(60);
    sim.setFaults({});
    expect((await answer).live).toBe(true);
    const m = lds.caller.metrics.snapshot().liveness!;
    expect(m).toMatchObject({ calls: 1, succeeded: 1, failed: 0 });
    expect(m.retries).toBeGreaterThanOrEqual(1);
    expect(sim.stats().faults.unavailable).toBe(m.retries);
  });

  it('does not retry a 4xx: an unreadable image is the request at fault', async () => {
    const lds = new LdsClient(sim.ldsUrl, fast);
    const error = await lds.check(Buffer.from('no image').toString('base64')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Tech5RequestError);
    expect(error).toMatchObject({ status: 422, serviceCode: 'LDS.UNREADABLE_IMAGE' });
    expect(sim.stats().lds.liveness).toBe(1);
    expect(lds.caller.metrics.snapshot().liveness).toMatchObject({ calls: 1, failed: 1, retries: 0 });
  });

  it('gives up after its attempts on timeouts and dropped connections, as an outage', async () => {
    const abis = new AbisClient(sim.abisUrl, fast);
    for (const fault of [{ timeoutRate: 1 }, { dropRate: 1 }]) {
      sim.setFaults({ services: ['abis'], ...fault });
      const error = await abis.ping().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Tech5UnavailableError);
      expect((error as Tech5UnavailableError).infrastructure).toBe(true);
    }
    expect(sim.stats().faults).toMatchObject({ timeouts: 3, drops: 3 });
    expect(abis.caller.metrics.snapshot().ping).toMatchObject({ calls: 2, failed: 2, retries: 4 });
  });

  it('opens its circuit on a dead service, then fails fast, then closes when it is back', async () => {
    const abis = new AbisClient(sim.abisUrl, { ...fast, maxAttempts: 1, breakerFailures: 3 });
    sim.setFaults({ services: ['abis'], unavailable: true });
    for (let i = 0; i < 3; i++) await expect(abis.ping()).rejects.toBeInstanceOf(Tech5UnavailableError);
    expect(abis.caller.breaker.state).toBe('open');
    await expect(abis.ping()).rejects.toThrow(/circuit open/);
    expect(sim.stats().faults.unavailable).toBe(3); // the fourth call never left
    sim.setFaults({});
    await sleep(220);
    await abis.ping();
    expect(abis.caller.breaker.state).toBe('closed');
    expect(abis.caller.metrics.snapshot().ping).toMatchObject({ shortCircuited: 1, succeeded: 1 });
  });
});
