import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import { addDays, dayIn } from './days';
import { tryRollupDays, type RollupReport } from './rollupService';

export interface RollupScheduleOptions {
  zones: readonly string[];
  intervalSeconds: number;
  /** Days before today rolled up again on the first tick of each day (late decisions). */
  lateDays: number;
}

export type TickOutcome =
  | { kind: 'rolled_up'; reports: RollupReport[]; late: boolean }
  | { kind: 'skipped'; reason: 'another engine holds the rollup lock' };

/**
 * The server's rollups: every interval the current day of each zone; on the first tick of a new
 * day (and at start), the `lateDays` before it too, so the day just ended and decisions that
 * landed after midnight are counted. Under the rollup lock: with several engines, one runs it and
 * the others skip the tick.
 */
export class RollupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;
  /** Per zone, the day whose late window was last rolled up. */
  private readonly lateDone = new Map<string, string>();

  constructor(
    private readonly db: Db,
    private readonly options: RollupScheduleOptions,
    private readonly log: Pick<Logger, 'warn' | 'debug'>,
  ) {}

  start(): void {
    if (this.options.intervalSeconds === 0) return;
    this.schedule(1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One round, at `now`: the scheduled rollups of each zone. */
  async tick(now: Date = new Date()): Promise<TickOutcome> {
    const reports: RollupReport[] = [];
    let late = false;
    for (const zone of new Set(this.options.zones)) {
      const today = dayIn(zone, now);
      const catchUp = this.lateDone.get(zone) !== today;
      const from = catchUp ? addDays(today, -this.options.lateDays) : today;
      const report = await tryRollupDays(this.db, { zones: [zone], from, to: today, trigger: 'schedule' });
      if (!report) return { kind: 'skipped', reason: 'another engine holds the rollup lock' };
      if (catchUp) {
        this.lateDone.set(zone, today);
        late = true;
      }
      reports.push(report);
    }
    return { kind: 'rolled_up', reports, late };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((outcome) => this.log.debug({ outcome: outcome.kind }, 'rollup'))
        .catch((error: unknown) =>
          this.log.warn({ err: error }, 'rollup failed; trying again at the next tick'),
        )
        .finally(() => this.schedule(this.options.intervalSeconds * 1000));
    }, delayMs);
    this.timer.unref();
  }
}
