import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { Db } from '@nexus/actors';
import type { JobsTable, JobStatus, RecordStatus, SourceKind, SourceSpec } from '@nexus/schema';
import { EVERYTHING } from '../auth/ownership';
import { stringify } from 'csv-stringify/sync';
import { RESULT_COLUMNS } from '../batches/batchRecords';
import { batchResultsCsv } from '../batches/batchResultsCsv';
import { cancelBatch } from '../batches/batchStatus';
import { JobError } from './jobErrors';
import { openSecrets, sealSecrets, secretName } from './sourceSecrets';
import { checkSpec, type SourceStore } from './sourceStore';
import { required } from '@nexus/schema';

export interface JobCounts {
  read: number;
  accepted: number;
  rejected: number;
  pending: number;
  new: number;
  linked: number;
  review: number;
  dead_lettered: number;
  cancelled: number;
}

export interface JobView {
  id: string;
  name: string;
  sourceId: string | null;
  kind: SourceKind;
  trigger: 'api' | 'schedule';
  status: JobStatus;
  counts: JobCounts;
  error: string | null;
  errorCode: string | null;
  attempts: number;
  /** Rows of the source read and stored: where a resumed fetch starts. */
  resumeRows: number;
  /** Each step's time so far, in milliseconds (null before it started). */
  steps: { queuedMs: number; fetchingMs: number | null; decidingMs: number | null };
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  fetchedAt: string | null;
  finishedAt: string | null;
}

export const ACTIVE_JOB_STATUSES: JobStatus[] = ['queued', 'fetching', 'deciding'];

export type JobFilter = { status?: JobStatus | undefined; source?: string | undefined; limit: number };

export class JobStore {
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
    private readonly sources: SourceStore,
  ) {}

  /** Queues a job of a saved source (its settings copied now) or of an inline source. */
  async create(
    input:
      { sourceId: string; name?: string | undefined } | { source: SourceSpec; name?: string | undefined },
    creator: { username: string; userId: string | null },
    trigger: 'api' | 'schedule' = 'api',
    db: Db = this.db,
  ): Promise<JobView> {
    const id = randomUUID();
    let values;
    if ('sourceId' in input) {
      const source = await this.sources.row(input.sourceId);
      values = {
        name: input.name ?? source.name,
        source_id: source.id,
        kind: source.kind,
        settings: JSON.stringify(source.settings),
        secrets: sealSecrets(this.key, secretName('job', id), this.sources.secretsOf(source)),
        map: JSON.stringify(source.map),
        record_source: source.record_source,
      };
    } else {
      const split = checkSpec(input.source);
      const name = input.name ?? `${split.kind} job`;
      values = {
        name,
        source_id: null,
        kind: split.kind,
        settings: JSON.stringify(split.settings),
        secrets: sealSecrets(this.key, secretName('job', id), split.secrets),
        map: JSON.stringify(split.map),
        record_source: split.recordSource ?? input.name ?? `job-${id}`,
      };
    }
    try {
      await db
        .insertInto('jobs')
        .values({
          id,
          ...values,
          settings: values.settings as never,
          map: values.map as never,
          trigger,
          status: 'queued',
          created_by: creator.username,
          created_by_id: creator.userId,
        })
        .execute();
    } catch (error) {
      if (
        (error as { code?: string }).code === '23505' &&
        (error as { constraint?: string }).constraint === 'jobs_one_active_run'
      )
        throw new JobError(
          'JOB.SOURCE_BUSY',
          'a job of this source is still running: wait for it or cancel it',
        );
      throw error;
    }
    return this.get(id, db);
  }

  /** A new job of an inline source with the same settings as `old`. */
  async copy(
    old: Selectable<JobsTable>,
    creator: { username: string; userId: string | null },
  ): Promise<JobView> {
    const id = randomUUID();
    const secrets = openSecrets(this.key, secretName('job', old.id), old.secrets);
    await this.db
      .insertInto('jobs')
      .values({
        id,
        name: old.name,
        source_id: null,
        kind: old.kind,
        settings: JSON.stringify(old.settings) as never,
        secrets: sealSecrets(this.key, secretName('job', id), secrets),
        map: JSON.stringify(old.map) as never,
        record_source: old.record_source,
        trigger: 'api',
        status: 'queued',
        created_by: creator.username,
        created_by_id: creator.userId,
      })
      .execute();
    return this.get(id);
  }

  async row(jobId: string, db: Db = this.db): Promise<Selectable<JobsTable>> {
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', jobId).executeTakeFirst();
    if (!row) throw new JobError('JOB.NOT_FOUND', `no job ${jobId}`);
    return row;
  }

  async get(jobId: string, db: Db = this.db): Promise<JobView> {
    const row = await this.row(jobId, db);
    const [view] = await this.views([row], db);
    return required(view, `view of job ${jobId}`);
  }

  async list(filter: JobFilter): Promise<JobView[]> {
    let q = this.db
      .selectFrom('jobs')
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(filter.limit);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.source) q = q.where('source_id', '=', filter.source);
    return this.views(await q.execute());
  }

  /** Decisions of the jobs' records, counted over their batches. */
  private async views(rows: Selectable<JobsTable>[], db: Db = this.db): Promise<JobView[]> {
    const ids = rows.map((r) => r.id);
    const counts =
      ids.length === 0
        ? []
        : await db
            .selectFrom('records')
            .innerJoin('batches', 'batches.id', 'records.batch_id')
            .select(['batches.job_id', 'records.status', (eb) => eb.fn.countAll<string>().as('n')])
            .where('batches.job_id', 'in', ids)
            .groupBy(['batches.job_id', 'records.status'])
            .execute();
    const by = new Map<string, Map<RecordStatus, number>>();
    for (const c of counts) {
      const jobId = required(c.job_id, 'job_id of a record counted by job');
      const m = by.get(jobId) ?? new Map<RecordStatus, number>();
      m.set(c.status, Number(c.n));
      by.set(jobId, m);
    }
    return rows.map((r) => toView(r, by.get(r.id) ?? new Map<RecordStatus, number>()));
  }

  /** Records of the job still undecided. */
  async pending(jobId: string): Promise<number> {
    const row = await this.db
      .selectFrom('records')
      .innerJoin('batches', 'batches.id', 'records.batch_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('batches.job_id', '=', jobId)
      .where('records.status', 'in', ['received', 'relayed'])
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Cancels a job: a queued or deciding job at once, a fetching one when its runner next looks
   * (it stores nothing more). Undecided records of its batches are cancelled; decided ones stay.
   */
  async cancel(jobId: string, actor: string): Promise<JobView> {
    const row = await this.row(jobId);
    if (!ACTIVE_JOB_STATUSES.includes(row.status))
      throw new JobError('JOB.NOT_CANCELLABLE', `job ${jobId} is already ${row.status}`);
    await this.db
      .updateTable('jobs')
      .set({
        cancel_requested: true,
        status: 'cancelled',
        error_code: 'JOB.CANCELLED',
        error: `cancelled by ${actor}`,
        finished_at: sql`now()`,
        updated_at: sql`now()`,
      })
      .where('id', '=', jobId)
      .where('status', 'in', ACTIVE_JOB_STATUSES)
      .execute();
    await this.cancelBatches(jobId, actor);
    return this.get(jobId);
  }

  async cancelBatches(jobId: string, actor: string): Promise<void> {
    const batches = await this.db
      .selectFrom('batches')
      .select('id')
      .where('job_id', '=', jobId)
      .where('status', 'not in', ['completed', 'failed', 'cancelled'])
      .execute();
    for (const b of batches) {
      await cancelBatch(this.db, b.id, actor, EVERYTHING).catch((error: unknown) => {
        // A batch that settled meanwhile keeps its decisions.
        if ((error as { code?: string }).code !== 'BATCH.NOT_CANCELLABLE') throw error;
      });
    }
  }

  async rejections(jobId: string, afterLine: number, limit: number) {
    await this.row(jobId);
    const rows = await this.db
      .selectFrom('job_rejections')
      .select(['line', 'external_id', 'errors'])
      .where('job_id', '=', jobId)
      .where('line', '>', String(afterLine))
      .orderBy('line')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ line: Number(r.line), externalId: r.external_id, errors: r.errors }));
  }

  async runs(jobId: string) {
    const rows = await this.db
      .selectFrom('job_runs')
      .selectAll()
      .where('job_id', '=', jobId)
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      attempt: r.attempt,
      engine: r.engine,
      fromRow: Number(r.from_row),
      toRow: r.to_row === null ? null : Number(r.to_row),
      outcome: r.outcome,
      error: r.error,
      startedAt: r.started_at.toISOString(),
      endedAt: r.ended_at?.toISOString() ?? null,
    }));
  }

  /** The results CSV of every batch of the job, one header. */
  async *resultsCsv(jobId: string): AsyncGenerator<string> {
    await this.row(jobId);
    const batches = await this.db
      .selectFrom('batches')
      .select('id')
      .where('job_id', '=', jobId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    let first = true;
    if (batches.length === 0) yield stringify([[...RESULT_COLUMNS]]);
    for (const b of batches) {
      let header = true;
      for await (const chunk of batchResultsCsv(this.db, b.id)) {
        if (header && !first) {
          header = false;
          continue;
        }
        header = false;
        yield chunk;
      }
      first = false;
    }
  }
}

function toView(r: Selectable<JobsTable>, by: Map<RecordStatus, number>): JobView {
  const at = (d: Date | null) => d?.getTime() ?? null;
  const now = Date.now();
  const started = at(r.started_at);
  const fetched = at(r.fetched_at);
  const finished = at(r.finished_at);
  return {
    id: r.id,
    name: r.name,
    sourceId: r.source_id,
    kind: r.kind,
    trigger: r.trigger,
    status: r.status,
    counts: {
      read: Number(r.rows_read),
      accepted: Number(r.rows_accepted),
      rejected: Number(r.rows_rejected),
      pending: (by.get('received') ?? 0) + (by.get('relayed') ?? 0),
      new: by.get('new') ?? 0,
      linked: by.get('linked') ?? 0,
      review: by.get('review') ?? 0,
      dead_lettered: by.get('dead_lettered') ?? 0,
      cancelled: by.get('cancelled') ?? 0,
    },
    error: r.error,
    errorCode: r.error_code,
    attempts: r.attempts,
    resumeRows: Number(r.resume_rows),
    steps: {
      queuedMs: (started ?? finished ?? now) - r.created_at.getTime(),
      fetchingMs: started === null ? null : (fetched ?? finished ?? now) - started,
      decidingMs: fetched === null ? null : (finished ?? now) - fetched,
    },
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    fetchedAt: r.fetched_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}
