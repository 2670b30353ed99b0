import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import type { SourceSpec } from '@nexus/schema';
import { silentNotifier, type Notifier } from '../notifications/notifier';
import { JobRunner, type JobRunnerSettings } from './jobRunner';
import { startDueRuns } from './jobSchedule';
import { JobStore, type JobView } from './jobStore';
import { SourceHosts } from './sourceHosts';
import { SourceStore } from './sourceStore';

export interface JobServiceConfig {
  NEXUS_SOURCE_URL_HOSTS: readonly string[];
  NEXUS_IMPORT_DIRS: readonly string[];
  NEXUS_DATA_DIR: string;
  NEXUS_JOB_CONCURRENCY: number;
  NEXUS_JOB_BATCH_ROWS: number;
  NEXUS_JOB_MAX_ATTEMPTS: number;
  NEXUS_JOB_RETRY_BASE_MS: number;
  NEXUS_JOB_LEASE_SECONDS: number;
  NEXUS_JOB_FETCH_TIMEOUT_MS: number;
}

export interface JobServiceDeps {
  db: Db;
  partitions: number;
  /** The server secret key (serverSecretKey.ts): seals sources' secrets. */
  key: Buffer;
  config: JobServiceConfig;
  logger: Pick<Logger, 'warn' | 'error' | 'info'>;
  notifier?: Notifier;
  /** After a batch is stored or a status changes: kick the relay, nudge live feeds. */
  onChange?: () => void;
}

/** Where POST /api/v1/uploads keeps files until a job reads them. */
export const uploadDirOf = (dataDir: string) => path.join(dataDir, 'uploads');

/** Sources, jobs, their runner and their schedules: what the API adapters call. */
export class JobService {
  readonly sources: SourceStore;
  readonly jobs: JobStore;
  readonly runner: JobRunner;
  readonly uploadDir: string;
  private scheduleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: JobServiceDeps) {
    const c = deps.config;
    this.sources = new SourceStore(deps.db, deps.key);
    this.jobs = new JobStore(deps.db, deps.key, this.sources);
    this.uploadDir = uploadDirOf(c.NEXUS_DATA_DIR);
    const settings: JobRunnerSettings = {
      concurrency: c.NEXUS_JOB_CONCURRENCY,
      batchRows: c.NEXUS_JOB_BATCH_ROWS,
      maxAttempts: c.NEXUS_JOB_MAX_ATTEMPTS,
      retryBaseMs: c.NEXUS_JOB_RETRY_BASE_MS,
      leaseSeconds: c.NEXUS_JOB_LEASE_SECONDS,
    };
    this.runner = new JobRunner({
      db: deps.db,
      partitions: deps.partitions,
      key: deps.key,
      store: this.jobs,
      notifier: deps.notifier ?? silentNotifier,
      logger: deps.logger,
      settings,
      fetch: {
        hosts: new SourceHosts(c.NEXUS_SOURCE_URL_HOSTS),
        importDirs: c.NEXUS_IMPORT_DIRS,
        uploadDir: this.uploadDir,
        idleTimeoutMs: c.NEXUS_JOB_FETCH_TIMEOUT_MS,
        chunkRows: Math.min(1_000, c.NEXUS_JOB_BATCH_ROWS),
      },
      onChange: () => deps.onChange?.(),
    });
  }

  start(intervalMs = 1_000): void {
    this.runner.start(intervalMs);
    this.scheduleTimer = setInterval(() => void this.runSchedules(), intervalMs);
    this.scheduleTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.scheduleTimer) clearInterval(this.scheduleTimer);
    await this.runner.stop();
  }

  async runSchedules(now = new Date()): Promise<string[]> {
    try {
      const started = await startDueRuns(this.deps.db, this.jobs, now);
      if (started.length > 0) this.runner.nudge();
      return started;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'scheduled jobs could not be started');
      return [];
    }
  }

  async createJob(
    input:
      { sourceId: string; name?: string | undefined } | { source: SourceSpec; name?: string | undefined },
    creator: { username: string; userId: string | null },
  ): Promise<JobView> {
    const job = await this.jobs.create(input, creator);
    this.runner.nudge();
    return job;
  }

  /** A new job with the same settings as a finished one. */
  async retryJob(jobId: string, creator: { username: string; userId: string | null }): Promise<JobView> {
    const old = await this.jobs.row(jobId);
    const job = old.source_id
      ? await this.jobs.create({ sourceId: old.source_id, name: old.name }, creator)
      : await this.jobs.copy(old, creator);
    this.runner.nudge();
    return job;
  }

  async cancelJob(jobId: string, actor: string): Promise<JobView> {
    const view = await this.jobs.cancel(jobId, actor);
    this.runner.abortLocal(jobId);
    this.deps.onChange?.();
    await this.runner.announce('job.cancelled', view);
    return view;
  }
}
