import { EventEmitter } from 'node:events';
import type { ActorSnapshot, Db, RecordOutcome } from '@nexus/actors';
import type { DecisionCounts } from '@nexus/schema';
import type { Engine } from '../engine/engine';
import type { PartHealth } from '../biometrics/tech5Health';
import type { IdentifyMonitor } from '../identify/identifyMonitor';
import { countOpenDeadLetters, countReviewQueue } from '../metrics/operationalCounts';
import { EventRing } from './eventRing';
import { WindowStats, type LatencySummary, type StageSummary } from './windowStats';

export interface ThroughputSample {
  at: string;
  windowMs: number;
  /** Records decided in the window, by decision (redeliveries of decided records not counted). */
  counts: DecisionCounts;
  decided: number;
  /** Mean time a worker spent deciding one record, in the window. */
  meanDecisionMs: number | null;
  /** p50, p95 and mean of that time (ms), in the window; null when nothing was decided. */
  latency: LatencySummary | null;
  /** Per pipeline stage: records that entered it in the window and their mean time there (ms). */
  stages: StageSummary;
  /** `/identify` calls answered in the window, contacts they created and families they joined. */
  identify?: IdentifyCounts;
}

export interface IdentifyCounts {
  calls: number;
  created: number;
  joined: number;
}

export interface EngineSample {
  at: string;
  relayBacklog: number | null;
  relayError: string | null;
  partitions: Array<ActorSnapshot & { lag: number }>;
  /** Review cases open or claimed (null: the database did not answer). */
  reviewQueue: number | null;
  /** Dead letters neither replayed nor discarded. */
  deadLetters: number | null;
  /** Tech5, Elasticsearch and Kafka when configured, as /health reports them; checked every few seconds. */
  dependencies: Record<string, PartHealth>;
  dependenciesCheckedAt: string | null;
}

export interface LiveHubOptions {
  /** Where the review queue and dead letters are counted (unset: not reported). */
  db?: Db;
  tickMs?: number;
  /** Dependency checks call out over the network: at most this often. */
  healthEveryMs?: number;
  /** `/identify` calls, counted into the throughput samples. */
  identify?: IdentifyMonitor;
}

const zero = (): ThroughputSample['counts'] => ({
  new: 0,
  linked: 0,
  review: 0,
  rejected: 0,
  dead_lettered: 0,
  cancelled: 0,
});

/** Keeps engine samples this long after the last engine subscriber left, for reconnects. */
const ENGINE_LINGER_MS = 60_000;

/**
 * The live side of the control plane: one listener on the supervisor feeds per-second throughput
 * samples; engine samples (actor state, partition lag, relay backlog) are taken each second while
 * someone watches. Both keep a short history for clients that reconnect with a lastEventId.
 */
export class LiveHub {
  readonly throughput = new EventRing<ThroughputSample>(300);
  readonly engineStates = new EventRing<EngineSample>(120);
  private readonly activity = new EventEmitter();
  private counts = zero();
  private identifyCounts: IdentifyCounts = { calls: 0, created: 0, joined: 0 };
  private stopIdentify: (() => void) | undefined;
  private stopChanges: (() => void) | undefined;
  private decisionMs = 0;
  private decisionCount = 0;
  private window = new WindowStats();
  private windowStart = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private lastEngineWatcherAt = 0;
  private sampling = false;
  private readonly tickMs: number;
  private readonly healthEveryMs: number;
  private dependencies: { at: number; parts: Record<string, PartHealth>; checkedAt: string | null } = {
    at: -Infinity,
    parts: {},
    checkedAt: null,
  };

  constructor(
    private readonly engine: Engine,
    private readonly options: LiveHubOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 1000;
    this.healthEveryMs = options.healthEveryMs ?? 5000;
    this.activity.setMaxListeners(0);
  }

  private readonly onOutcome = (_partition: number, outcome: RecordOutcome) => {
    if (outcome.result !== 'decided' || outcome.replayed) return;
    if (outcome.status in this.counts) this.counts[outcome.status as keyof ThroughputSample['counts']]++;
    this.decisionMs += outcome.ms;
    this.decisionCount++;
    this.window.add(outcome.ms, outcome.stages);
    this.activity.emit('activity');
  };

  private readonly onDeadLetter = () => {
    this.counts.dead_lettered++;
    this.activity.emit('activity');
  };

  start(): void {
    this.engine.supervisor.on('outcome', this.onOutcome);
    this.engine.supervisor.on('deadLetter', this.onDeadLetter);
    this.stopChanges = this.engine.changes.on('state_changed', () => this.nudge());
    this.stopIdentify = this.options.identify?.onOutcome((o) => {
      if (o.result !== 'answered') return;
      this.identifyCounts.calls++;
      this.identifyCounts.created += o.created;
      this.identifyCounts.joined += o.joined;
    });
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.engine.supervisor.off('outcome', this.onOutcome);
    this.engine.supervisor.off('deadLetter', this.onDeadLetter);
    this.stopIdentify?.();
    this.stopChanges?.();
    this.activity.removeAllListeners();
  }

  /** Something changed that live feeds may want to read now (a resolution, a cancel...). */
  nudge(): void {
    this.activity.emit('activity');
  }

  onActivity(listener: () => void): () => void {
    this.activity.on('activity', listener);
    return () => this.activity.off('activity', listener);
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    const counts = this.counts;
    const decided = Object.values(counts).reduce((a, b) => a + b, 0);
    this.throughput.push({
      at: new Date(now).toISOString(),
      windowMs: now - this.windowStart,
      counts,
      decided,
      meanDecisionMs: this.decisionCount ? Number((this.decisionMs / this.decisionCount).toFixed(2)) : null,
      latency: this.window.latency(),
      stages: this.window.stages(),
      identify: this.identifyCounts,
    });
    this.counts = zero();
    this.identifyCounts = { calls: 0, created: 0, joined: 0 };
    this.decisionMs = 0;
    this.decisionCount = 0;
    this.window = new WindowStats();
    this.windowStart = now;
    if (this.engineStates.listenerCount > 0) this.lastEngineWatcherAt = now;
    if (now - this.lastEngineWatcherAt < ENGINE_LINGER_MS) await this.pushEngineSample();
  }

  /**
   * A first watcher after a quiet spell: sample now, so the page opens on the current state
   * instead of waiting for the next tick with nothing (or a minute-old sample) to show.
   */
  warmEngine(): Promise<void> {
    const now = Date.now();
    const cold = now - this.lastEngineWatcherAt >= ENGINE_LINGER_MS;
    this.lastEngineWatcherAt = now;
    return cold ? this.pushEngineSample() : Promise.resolve();
  }

  private async pushEngineSample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      this.engineStates.push(await this.sampleEngine());
    } catch {
      // the next tick tries again
    } finally {
      this.sampling = false;
    }
  }

  async sampleEngine(): Promise<EngineSample> {
    const db = this.options.db;
    const [lag, backlog, reviewQueue, deadLetters, dependencies] = await Promise.all([
      this.engine.supervisor.lag().catch(() => new Map<number, number>()),
      this.engine.relay.backlog().catch(() => null),
      db ? countReviewQueue(db).catch(() => null) : null,
      db ? countOpenDeadLetters(db).catch(() => null) : null,
      this.checkDependencies(),
    ]);
    return {
      at: new Date().toISOString(),
      relayBacklog: backlog,
      relayError: this.engine.relay.lastError() ?? null,
      partitions: this.engine.supervisor.snapshot().map((a) => ({ ...a, lag: lag.get(a.partition) ?? 0 })),
      reviewQueue,
      deadLetters,
      dependencies: dependencies.parts,
      dependenciesCheckedAt: dependencies.checkedAt,
    };
  }

  /** The last dependency check, refreshed when older than healthEveryMs. */
  private async checkDependencies(): Promise<LiveHub['dependencies']> {
    const now = Date.now();
    if (now - this.dependencies.at < this.healthEveryMs) return this.dependencies;
    const parts = await this.engine.health().catch((error: unknown): Record<string, PartHealth> => ({
      engine: { ok: false, detail: String(error) },
    }));
    this.dependencies = { at: now, parts, checkedAt: new Date(now).toISOString() };
    return this.dependencies;
  }
}
