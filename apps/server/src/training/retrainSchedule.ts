import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import { ModelError } from './modelErrors';
import { dueRetraining, retrainModel, type RetrainReport, type RetrainSettings } from './retraining';

export type RetrainTick =
  { kind: 'retrained'; report: RetrainReport } | { kind: 'not_due' } | { kind: 'skipped'; reason: string };

/**
 * The server retrains its model by itself: every interval it asks whether the register has
 * reached the first N decided records, or grown by the factor since the last retraining, and
 * retrains when it has (retraining.ts). With several engines, the one holding the retraining
 * lock trains and the others skip.
 */
export class RetrainSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Db,
    private readonly settings: RetrainSettings,
    private readonly intervalSeconds: number,
    private readonly log: Pick<Logger, 'info' | 'warn' | 'debug'>,
  ) {}

  start(): void {
    if (this.intervalSeconds === 0 || this.settings.firstRecords === 0) return;
    this.schedule(this.intervalSeconds * 1000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  async tick(): Promise<RetrainTick> {
    const trigger = await dueRetraining(this.db, this.settings);
    if (trigger === undefined) return { kind: 'not_due' };
    try {
      const report = await retrainModel(this.db, { trigger, actor: 'system', settings: this.settings });
      return { kind: 'retrained', report };
    } catch (error) {
      if (error instanceof ModelError) return { kind: 'skipped', reason: error.message };
      throw error;
    }
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((outcome) => {
          if (outcome.kind !== 'retrained') return this.log.debug({ outcome }, 'model retraining');
          const r = outcome.report;
          this.log.info(
            { version: r.versionId, trigger: r.trigger, records: r.recordCount, accepted: r.accepted },
            `model retrained: version ${r.versionId} ${r.accepted ? 'is active' : 'rejected'} (${r.check.reason})`,
          );
        })
        .catch((error: unknown) =>
          this.log.warn({ err: error }, 'model retraining failed; trying again at the next tick'),
        )
        .finally(() => this.schedule(this.intervalSeconds * 1000));
    }, delayMs);
    this.timer.unref();
  }
}
