import path from 'node:path';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import type { SourceSpec } from '@nexus/schema';
import { openSecrets, secretName } from './sourceSecrets';
import { previewSource, type SourcePreview } from './sourcePreview';
import type { FetchEnvironment, OpenedSource } from './sourceRows';
import { silentNotifier, type Notifier } from '../notifications/notifier';
import { JobRunner, type JobRunnerSettings } from './jobRunner';
import { startDueRuns } from './jobSchedule';
import { JobStore, type JobView } from './jobStore';
import { SourceHosts } from './sourceHosts';
import { checkSpec, SourceStore } from './sourceStore';
import { required } from '@nexus/schema';

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
  /** After a batch is stored or a status changes (server.ts announces it: engine.changes). */
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
  private readonly fetchEnvironment: Omit<FetchEnvironment, 'signal'>;

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
    this.fetchEnvironment = {
      hosts: new SourceHosts(c.NEXUS_SOURCE_URL_HOSTS),
      importDirs: c.NEXUS_IMPORT_DIRS,
      uploadDir: this.uploadDir,
      idleTimeoutMs: c.NEXUS_JOB_FETCH_TIMEOUT_MS,
      chunkRows: Math.min(1_000, c.NEXUS_JOB_BATCH_ROWS),
    };
    this.runner = new JobRunner({
      db: deps.db,
      partitions: deps.partitions,
      key: deps.key,
      store: this.jobs,
      notifier: deps.notifier ?? silentNotifier,
      logger: deps.logger,
      settings,
      fetch: this.fetchEnvironment,
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

  /**
   * Test the connection: reads a source's first rows as a job would, stores nothing. A saved
   * source, an unsaved spec, or a saved source with changed settings (its secrets kept when the
   * spec leaves them out and the kind is the same, as an update keeps them).
   */
  async testSource(input: {
    sourceId?: string | undefined;
    source?: SourceSpec | undefined;
    rows: number;
  }): Promise<SourcePreview> {
    let opened: OpenedSource;
    const saved = input.sourceId ? await this.sources.row(input.sourceId) : undefined;
    if (input.source) {
      const split = checkSpec(input.source);
      const kept =
        saved && saved.kind === split.kind
          ? openSecrets(this.deps.key, secretName('source', saved.id), saved.secrets)
          : {};
      opened = {
        kind: split.kind,
        settings: split.settings,
        secrets: { ...kept, ...split.secrets },
        map: split.map,
        recordSource: split.recordSource ?? saved?.record_source ?? 'connection-test',
      };
    } else {
      // testSourceInput refuses an input with neither a sourceId nor a source.
      const source = required(saved, 'testSource: the saved source of an input without a spec');
      opened = {
        kind: source.kind,
        settings: source.settings,
        secrets: this.sources.secretsOf(source),
        map: source.map,
        recordSource: source.record_source,
      };
    }
    // A test waits no longer than one silence of a fetch, connecting included.
    return previewSource(
      opened,
      this.fetchEnvironment,
      input.rows,
      this.deps.config.NEXUS_JOB_FETCH_TIMEOUT_MS,
    );
  }

  async cancelJob(jobId: string, actor: string): Promise<JobView> {
    const view = await this.jobs.cancel(jobId, actor);
    this.runner.abortLocal(jobId);
    this.deps.onChange?.();
    await this.runner.announce('job.cancelled', view);
    return view;
  }
}
