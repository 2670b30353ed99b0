import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '@nexus/actors';
import type { JobsTable } from '@nexus/schema';
import type { RecordRow } from '../files';
import { submitBatch, type BatchReceipt } from '../ingest/submitBatch';
import type { Notifier } from '../notifications/notifier';
import { backoffMs, classifyFailure, FetchFailure } from './fetchFailure';
import type { JobStore, JobView } from './jobStore';
import { openSecrets, secretName } from './sourceSecrets';
import { sourceRows, type FetchEnvironment } from './sourceRows';
import { required } from '@nexus/schema';

export interface JobRunnerSettings {
  concurrency: number;
  batchRows: number;
  maxAttempts: number;
  retryBaseMs: number;
  leaseSeconds: number;
}

export interface JobRunnerDeps {
  db: Db;
  partitions: number;
  key: Buffer;
  store: JobStore;
  notifier: Notifier;
  logger: Pick<Logger, 'warn' | 'error' | 'info'>;
  settings: JobRunnerSettings;
  fetch: Omit<FetchEnvironment, 'signal'>;
  /** After each stored batch (the relay takes it from there) and each change of status. */
  onChange: () => void;
}

/** Rejected rows kept per job with their line and errors; all are counted. */
export const MAX_STORED_REJECTIONS = 10_000;

/** The job's lease went to someone else, or the job was cancelled: store nothing more. */
class LeaseLost extends Error {}
/** This engine is stopping: the job stays fetching, to be resumed by whoever takes its lease. */
class Stopping extends Error {}

/**
 * Runs jobs in a bounded pool (NEXUS_JOB_CONCURRENCY per engine). A job is claimed with a lease
 * that its runner renews; a job whose engine stopped is resumed by any engine once its lease
 * runs out. Rows are stored as path A batches, each with the job's resume position in the same
 * transaction, so a resumed fetch skips exactly the rows stored and stores none twice.
 */
export class JobRunner {
  readonly engineId = `engine-${randomUUID()}`;
  private readonly running = new Map<string, AbortController>();
  private readonly finished = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private started = false;
  private stopped = false;

  constructor(private readonly deps: JobRunnerDeps) {}

  start(intervalMs = 1_000): void {
    this.started = true;
    this.timer = setInterval(() => this.nudge(), intervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Looks for work now (a job was queued, a source came due). */
  nudge(): void {
    // A process that never started its runner (a tool, a test, a server told not to fetch)
    // fetches nothing: a job queued or a source come due waits for a runner that was started.
    if (!this.started || this.ticking || this.stopped) return;
    this.ticking = true;
    this.tick()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'job runner tick failed'))
      .finally(() => (this.ticking = false));
  }

  /** Stops fetching; running jobs keep their position and are resumed by the next engine. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.running.values()) c.abort(new Stopping('the engine is stopping'));
    await Promise.allSettled([...this.finished]);
  }

  /** A job cancelled through this engine stops fetching at once rather than at its next heartbeat. */
  abortLocal(jobId: string): void {
    this.running.get(jobId)?.abort(new LeaseLost('cancelled'));
  }

  private async tick(): Promise<void> {
    await this.settleDeciding();
    while (!this.stopped && this.running.size < this.deps.settings.concurrency) {
      const job = await this.claim();
      if (!job) break;
      const controller = new AbortController();
      this.running.set(job.id, controller);
      const done = this.run(job, controller)
        .catch((error: unknown) => this.deps.logger.error({ err: error, jobId: job.id }, 'job run failed'))
        .finally(() => {
          this.running.delete(job.id);
          this.finished.delete(done);
          this.nudge();
        });
      this.finished.add(done);
    }
  }

  private async claim(): Promise<Selectable<JobsTable> | undefined> {
    const lease = this.deps.settings.leaseSeconds;
    return this.deps.db
      .updateTable('jobs')
      .set({
        status: 'fetching',
        lease_owner: this.engineId,
        lease_until: sql`now() + make_interval(secs => ${lease})`,
        started_at: sql`coalesce(started_at, now())`,
        updated_at: sql`now()`,
      })
      .where(
        'id',
        '=',
        (eb) =>
          eb
            .selectFrom('jobs')
            .select('id')
            .where((w) =>
              w.or([
                w('status', '=', 'queued'),
                w.and([
                  w('status', '=', 'fetching'),
                  w.or([w('lease_until', 'is', null), w('lease_until', '<', sql<Date>`now()`)]),
                ]),
              ]),
            )
            .where('cancel_requested', '=', false)
            .orderBy('created_at')
            .limit(1)
            .forUpdate()
            .skipLocked() as never,
      )
      .returningAll()
      .executeTakeFirst();
  }

  private async run(job: Selectable<JobsTable>, controller: AbortController): Promise<void> {
    const heartbeat = setInterval(
      () => void this.renew(job.id, controller),
      (this.deps.settings.leaseSeconds * 1000) / 3,
    );
    heartbeat.unref();
    try {
      let attempt = job.attempts;
      for (;;) {
        attempt++;
        const current = await this.deps.store.row(job.id);
        const runId = await this.startRun(current, attempt);
        try {
          const position = await this.fetchRows(current, controller.signal);
          await this.endRun(runId, position, 'fetched', null);
          const moved = await this.deps.db
            .updateTable('jobs')
            .set({
              status: 'deciding',
              fetched_at: sql`now()`,
              lease_owner: null,
              lease_until: null,
              updated_at: sql`now()`,
            })
            .where('id', '=', job.id)
            .where('lease_owner', '=', this.engineId)
            .where('status', '=', 'fetching')
            .executeTakeFirst();
          if (Number(moved.numUpdatedRows) === 0) await this.afterLeaseLost(job.id);
          this.deps.onChange();
          return;
        } catch (error) {
          const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
          if (reason instanceof Stopping) {
            await this.endRun(runId, null, 'interrupted', 'the engine stopped; resumed by the next one');
            await this.deps.db
              .updateTable('jobs')
              .set({ lease_owner: null, lease_until: null })
              .where('id', '=', job.id)
              .where('lease_owner', '=', this.engineId)
              .execute();
            return;
          }
          if (reason instanceof LeaseLost) {
            await this.endRun(runId, null, 'stopped', reason.message);
            await this.afterLeaseLost(job.id);
            return;
          }
          const failure = classifyFailure(error);
          if (failure.retryable && attempt < this.deps.settings.maxAttempts) {
            await this.endRun(runId, null, 'retry', failure.message);
            const wait = backoffMs(attempt, this.deps.settings.retryBaseMs);
            this.deps.logger.warn(
              { jobId: job.id, attempt, waitMs: wait, reason: failure.message },
              'job fetch failed; retrying',
            );
            try {
              await sleep(wait, undefined, { signal: controller.signal });
            } catch {
              // Aborted while waiting: handled as the same abort on the next attempt's start.
            }
            if (controller.signal.aborted) {
              const r: unknown = controller.signal.reason;
              if (r instanceof Stopping) {
                await this.deps.db
                  .updateTable('jobs')
                  .set({ lease_owner: null, lease_until: null })
                  .where('id', '=', job.id)
                  .where('lease_owner', '=', this.engineId)
                  .execute();
              } else await this.afterLeaseLost(job.id);
              return;
            }
            continue;
          }
          await this.endRun(runId, null, 'failed', failure.message);
          await this.fail(job.id, failure, attempt);
          return;
        }
      }
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async renew(jobId: string, controller: AbortController): Promise<void> {
    try {
      const row = await this.deps.db
        .updateTable('jobs')
        .set({ lease_until: sql`now() + make_interval(secs => ${this.deps.settings.leaseSeconds})` })
        .where('id', '=', jobId)
        .where('lease_owner', '=', this.engineId)
        .where('status', '=', 'fetching')
        .where('cancel_requested', '=', false)
        .returning('id')
        .executeTakeFirst();
      if (!row) controller.abort(new LeaseLost('cancelled, or taken over by another engine'));
    } catch (error) {
      this.deps.logger.warn({ err: error, jobId }, 'job lease renewal failed');
    }
  }

  /** The job was cancelled (or taken over): whatever it stored meanwhile is cancelled too. */
  private async afterLeaseLost(jobId: string): Promise<void> {
    const row = await this.deps.store.row(jobId);
    if (row.status === 'cancelled') {
      await this.deps.store.cancelBatches(jobId, row.created_by);
      this.deps.onChange();
    }
  }

  private async startRun(job: Selectable<JobsTable>, attempt: number): Promise<string> {
    await this.deps.db.updateTable('jobs').set({ attempts: attempt }).where('id', '=', job.id).execute();
    const run = await this.deps.db
      .insertInto('job_runs')
      .values({ job_id: job.id, attempt, engine: this.engineId, from_row: job.resume_rows })
      .returning('id')
      .executeTakeFirstOrThrow();
    return run.id;
  }

  private async endRun(
    runId: string,
    toRow: number | null,
    outcome: string,
    error: string | null,
  ): Promise<void> {
    await this.deps.db
      .updateTable('job_runs')
      .set({ outcome, error, ended_at: sql`now()`, ...(toRow === null ? {} : { to_row: toRow }) })
      .where('id', '=', runId)
      .execute();
  }

  private async fail(jobId: string, failure: FetchFailure, attempts: number): Promise<void> {
    const message =
      attempts > 1 && failure.retryable
        ? `${failure.message} (gave up after ${attempts} attempts)`
        : failure.message;
    const row = await this.deps.db
      .updateTable('jobs')
      .set({
        status: 'failed',
        error_code: failure.code,
        error: message,
        finished_at: sql`now()`,
        lease_owner: null,
        lease_until: null,
        updated_at: sql`now()`,
      })
      .where('id', '=', jobId)
      .where('status', '=', 'fetching')
      .returning('id')
      .executeTakeFirst();
    this.deps.onChange();
    // The rows stored before the failure stay and are decided; what the job got is in its counts.
    if (row) await this.announce('job.failed', await this.deps.store.get(jobId));
  }

  /** Deciding jobs whose records are all decided are completed (by whichever engine sees it first). */
  private async settleDeciding(): Promise<void> {
    const deciding = await this.deps.db
      .selectFrom('jobs')
      .select('id')
      .where('status', '=', 'deciding')
      .execute();
    for (const { id } of deciding) {
      if ((await this.deps.store.pending(id)) > 0) continue;
      const row = await this.deps.db
        .updateTable('jobs')
        .set({ status: 'completed', finished_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', id)
        .where('status', '=', 'deciding')
        .returning('id')
        .executeTakeFirst();
      if (row) {
        this.deps.onChange();
        await this.announce('job.completed', await this.deps.store.get(id));
      }
    }
  }

  /** Tells subscribers; a notifier that fails never fails the job. */
  async announce(type: 'job.completed' | 'job.failed' | 'job.cancelled', view: JobView): Promise<void> {
    try {
      await this.deps.notifier.notify({ type, key: view.id, data: { ...view } });
    } catch (error) {
      this.deps.logger.warn({ err: error, jobId: view.id, type }, 'job notification could not be recorded');
    }
  }

  /** Reads from the resume position to the end; answers the position reached. */
  private async fetchRows(job: Selectable<JobsTable>, signal: AbortSignal): Promise<number> {
    const source = {
      kind: job.kind,
      settings: job.settings,
      secrets: openSecrets(this.deps.key, secretName('job', job.id), job.secrets),
      map: job.map,
      recordSource: job.record_source,
    };
    const start = Number(job.resume_rows);
    const batchRows = this.deps.settings.batchRows;
    let position = 0;
    let buffer: RecordRow[] = [];
    let valid = 0;
    for await (const row of sourceRows(source, { ...this.deps.fetch, signal })) {
      signal.throwIfAborted();
      position++;
      if (position <= start) continue;
      buffer.push(row);
      if (row.ok) valid++;
      if (valid >= batchRows || buffer.length >= batchRows * 2) {
        await this.store(job, buffer, position);
        buffer = [];
        valid = 0;
      }
    }
    signal.throwIfAborted();
    if (buffer.length > 0 || position < start) await this.store(job, buffer, Math.max(position, start));
    return Math.max(position, start);
  }

  /** One batch and the job's position, in one transaction; nothing when the job was cancelled. */
  private async store(job: Selectable<JobsTable>, rows: RecordRow[], position: number): Promise<void> {
    const good = rows.filter((r): r is Extract<RecordRow, { ok: true }> => r.ok);
    const bad = rows.filter((r): r is Extract<RecordRow, { ok: false }> => !r.ok);
    const write = async (trx: Db, receipt: BatchReceipt | null) => {
      const refused = (receipt?.rejected ?? []).map((r) => {
        const row = required(good[r.index], `job ${job.id}: sent row ${r.index} of a rejection`);
        return { line: row.line, externalId: row.record.external_id, errors: r.errors };
      });
      // In line order, so the cap keeps the first rejections of the source, whichever step refused them.
      const rejections = [
        ...bad.map((r) => ({ line: r.line, externalId: r.externalId ?? null, errors: r.errors })),
        ...refused,
      ].sort((a, b) => a.line - b.line);
      const updated = await trx
        .updateTable('jobs')
        .set({
          resume_rows: position,
          rows_read: sql`rows_read + ${rows.length}`,
          rows_accepted: sql`rows_accepted + ${receipt?.accepted ?? 0}`,
          rows_rejected: sql`rows_rejected + ${rejections.length}`,
          updated_at: sql`now()`,
        })
        .where('id', '=', job.id)
        .where('lease_owner', '=', this.engineId)
        .where('status', '=', 'fetching')
        .where('cancel_requested', '=', false)
        .returning(['rows_rejected'])
        .executeTakeFirst();
      if (!updated) throw new LeaseLost('cancelled, or taken over by another engine');
      const before = Number(updated.rows_rejected) - rejections.length;
      const room = Math.max(0, MAX_STORED_REJECTIONS - before);
      const kept = rejections.slice(0, room);
      if (kept.length > 0) {
        await trx
          .insertInto('job_rejections')
          .values(
            kept.map((r) => ({
              job_id: job.id,
              line: r.line,
              external_id: r.externalId,
              errors: JSON.stringify(r.errors) as never,
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    };
    if (good.length > 0) {
      await submitBatch(this.deps.db, this.deps.partitions, {
        source: job.record_source,
        records: good.map((r) => r.record),
        // Jobs are created by operators and admins only (ROLE_GRANTS.operator): they claim no source.
        submitter: job.created_by_id
          ? { userId: job.created_by_id, username: job.created_by, role: 'operator' }
          : null,
        jobId: job.id,
        alsoInTransaction: write,
      });
    } else {
      await this.deps.db.transaction().execute((trx) => write(trx, null));
    }
    this.deps.onChange();
  }
}
