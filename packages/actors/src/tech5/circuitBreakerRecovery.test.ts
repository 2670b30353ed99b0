import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTech5Simulator, type Tech5Simulator } from '@nexus/tech5-sim';
import { AbisClient } from './abisClient';
import { Tech5RequestError, Tech5UnavailableError } from './errors';

/**
 * Issue 11, finding 12: a half-open trial call that ended in an error that is not an outage (the
 * service answered; the request was at fault) left the breaker waiting for its trial for ever:
 * every later call failed "circuit open" against a healthy service.
 */
describe('the Tech5 circuit breaker after a trial the service refused', () => {
  let sim: Tech5Simulator;
  const openMs = 100;
  beforeAll(async () => {
    sim = await startTech5Simulator();
  });
  afterAll(async () => {
    await sim?.close();
  });

  it('closes again: the service answered, so it is up', async () => {
    const abis = new AbisClient(sim.abisUrl, {
      timeoutMs: 2000,
      maxAttempts: 1,
      baseBackoffMs: 1,
      maxBackoffMs: 1,
      breakerFailures: 2,
      breakerOpenMs: openMs,
    });
    sim.setFaults({ services: ['abis'], unavailable: true });
    for (let i = 0; i < 2; i++) await expect(abis.ping()).rejects.toBeInstanceOf(Tech5UnavailableError);
    expect(abis.caller.breaker.state).toBe('open');
    sim.setFaults({});
    await sleep(openMs * 2);

    // The trial: an identification of a reference the ABIS does not hold, refused as such.
    const refused = await abis.identify({ referenceId: 'no-such-reference' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Tech5RequestError);

    expect(abis.caller.breaker.state).toBe('closed');
    await abis.ping();
    await abis.ping();
    expect(abis.caller.metrics.snapshot().ping).toMatchObject({ succeeded: 2, shortCircuited: 0 });
  });
});
