import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine';
import { StateChanges } from '../engine/stateChanges';
import { LiveHub } from './liveHub';

/** An engine whose supervisor emits what the test says, with two idle partitions. */
function fakeEngine(health: Record<string, { ok: boolean; detail?: string }> = {}) {
  const supervisor = Object.assign(new EventEmitter(), {
    lag: () => Promise.resolve(new Map([[0, 3]])),
    snapshot: () =>
      [0, 1].map((partition) => ({
        partition,
        state: 'running' as const,
        inFlight: 0,
        position: 0,
        mailbox: 0,
        restarts: 0,
        decided: 0,
        deadLettered: 0,
        lastError: null,
        pausedUntil: null,
      })),
  });
  let healthChecks = 0;
  const engine = {
    supervisor,
    relay: { backlog: () => Promise.resolve(7), lastError: () => undefined },
    changes: new StateChanges(),
    health: () => {
      healthChecks++;
      return Promise.resolve(health);
    },
  } as unknown as Engine;
  return { engine, supervisor, healthChecks: () => healthChecks };
}

let hub: LiveHub | undefined;
afterEach(() => hub?.stop());

describe('the live hub', () => {
  it('wakes its watchers when a service announces a change, and stops listening when stopped', () => {
    const { engine } = fakeEngine();
    hub = new LiveHub(engine, { tickMs: 60_000 });
    let woken = 0;
    hub.onActivity(() => woken++);
    engine.changes.announce('state_changed');
    expect(woken).toBe(0); // not started: not subscribed
    hub.start();
    engine.changes.announce('state_changed');
    engine.changes.announce('records_stored');
    expect(woken).toBe(2);
    hub.stop();
    hub.onActivity(() => woken++);
    engine.changes.announce('state_changed');
    expect(woken).toBe(2);
  });

  it('samples the engine at once for a first watcher, not at the next tick', async () => {
    const { engine } = fakeEngine({ tech5: { ok: true } });
    hub = new LiveHub(engine, { tickMs: 60_000 });
    hub.start();
    expect(hub.engineStates.latest()).toBeUndefined();
    await hub.warmEngine();
    const sample = hub.engineStates.latest()!.data;
    expect(sample.partitions.map((p) => [p.partition, p.lag])).toEqual([
      [0, 3],
      [1, 0],
    ]);
    expect(sample.relayBacklog).toBe(7);
    expect(sample.dependencies).toEqual({ tech5: { ok: true } });
    // Without a database the counts are unknown, not zero.
    expect(sample.reviewQueue).toBeNull();
    // A second watcher while samples flow adds none.
    await hub.warmEngine();
    expect(hub.engineStates.since(0)).toHaveLength(1);
  });

  it('checks dependencies at most every healthEveryMs', async () => {
    const { engine, healthChecks } = fakeEngine();
    hub = new LiveHub(engine, { tickMs: 60_000, healthEveryMs: 60_000 });
    await hub.sampleEngine();
    await hub.sampleEngine();
    expect(healthChecks()).toBe(1);
  });

  it('puts a second of decisions, latency percentiles and stage counts in one sample', async () => {
    const { engine, supervisor } = fakeEngine();
    hub = new LiveHub(engine, { tickMs: 50 });
    hub.start();
    const decided = (ms: number, stages: Record<string, number>, replayed = false) =>
      supervisor.emit('outcome', 0, {
        result: 'decided',
        offset: 0,
        recordId: 'r',
        status: 'new',
        goldenId: 'g',
        replayed,
        ms,
        stages,
      });
    decided(10, { validate: 1, candidates: 4, decide: 1, persist: 4 });
    decided(30, { validate: 1, liveness: 9, candidates: 10, decide: 2, persist: 8 });
    decided(99, { validate: 1 }, true);
    await new Promise<void>((resolve) => hub!.throughput.listen(() => resolve()));
    const sample = hub.throughput.latest()!.data;
    expect(sample.decided).toBe(2);
    expect(sample.latency).toEqual({ p50: 10, p95: 30, mean: 20 });
    expect(sample.stages.validate).toEqual({ entered: 2, meanMs: 1 });
    expect(sample.stages.liveness).toEqual({ entered: 1, meanMs: 9 });
    expect(sample.stages.persist).toEqual({ entered: 2, meanMs: 6 });
  });
});
