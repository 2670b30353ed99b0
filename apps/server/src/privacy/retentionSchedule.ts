import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import { runRetention, type RetentionSettings } from './retention';

/**
 * The server's retention job, as the daily rollups are run (analytics/rollupSchedule.ts): a first
 * run a minute after start, then every interval (a day by default), under the retention lock so
 * that with several engines one runs it. Each run is logged with its counts and kept in
 * retention_runs. Nothing is scheduled when no period is set.
 */
export class RetentionSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly settings: RetentionSettings,
    private readonly intervalSeconds: number,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>,
  ) {}

  start(): void {
    if (this.intervalSeconds === 0 || Object.values(this.settings).every((days) => days === 0)) return;
    this.schedule(60_000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = runRetention(this.db, this.settings, { dryRun: false, trigger: 'schedule', mode: 'try' })
        .then((report) => {
          if (report) this.log.info({ removed: report.removed, ms: report.durationMs }, 'retention run');
          else this.log.debug('retention: another engine is running it');
        })
        .catch((error: unknown) =>
          this.log.warn({ err: error }, 'retention failed; trying again at the next run'),
        )
        .finally(() => this.schedule(this.intervalSeconds * 1000));
    }, delayMs);
    this.timer.unref();
  }
}
