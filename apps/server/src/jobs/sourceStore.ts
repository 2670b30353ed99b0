import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { SourceKind, SourceSpec, SourcesTable } from '@nexus/schema';
import type { Selectable } from 'kysely';
import { ColumnMapError, parseColumnMap } from '../files';
import { JobError } from './jobErrors';
import {
  openSecrets,
  sealSecrets,
  secretName,
  secretNames,
  splitSpec,
  type SplitSpec,
} from './sourceSecrets';

export interface SourceView {
  id: string;
  name: string;
  kind: SourceKind;
  settings: Record<string, unknown>;
  /** Which secrets it holds; never their values. */
  secrets: string[];
  map: Record<string, string>;
  recordSource: string;
  schedule: string | null;
  nextRunAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/** Checks a spec's column map as `--map` is checked; answers the normalised map. */
export function checkedMap(map: Record<string, string>): Record<string, string> {
  const spec = Object.entries(map)
    .map(([col, field]) => `${col}=${field === '' ? '-' : field}`)
    .join(',');
  try {
    return parseColumnMap(spec);
  } catch (error) {
    if (error instanceof ColumnMapError)
      throw new JobError('JOB_SOURCE.INVALID', error.message.replace('--map: ', 'map: '), {
        fields: [{ field: 'source.map', message: error.message }],
      });
    throw error;
  }
}

/** The next time a cron schedule fires after `from`; a bad expression is a 400. */
export function nextRun(schedule: string, from = new Date()): Date {
  let cron: Cron;
  try {
    cron = new Cron(schedule, { paused: true, timezone: 'UTC' });
  } catch (error) {
    throw new JobError('JOB_SOURCE.INVALID', `schedule: ${(error as Error).message}`, {
      fields: [{ field: 'schedule', message: (error as Error).message }],
    });
  }
  const next = cron.nextRun(from);
  if (!next) throw new JobError('JOB_SOURCE.INVALID', `schedule "${schedule}" never fires`);
  return next;
}

/** Settings each kind needs beyond the schema (checked where they are saved, not at run time). */
export function checkSpec(spec: SourceSpec): SplitSpec {
  if (spec.kind === 's3' && !spec.key && spec.prefix === undefined)
    throw new JobError('JOB_SOURCE.INVALID', 'an s3 source needs a key or a prefix', {
      fields: [{ field: 'source.key', message: 'give key or prefix' }],
    });
  if (spec.kind === 'url') {
    let url: URL | undefined;
    try {
      url = new URL(spec.url);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new JobError('JOB_SOURCE.INVALID', 'url must be an http or https URL', {
        fields: [{ field: 'source.url', message: 'must be an http or https URL' }],
      });
  }
  if (spec.kind === 'file' && !spec.path.startsWith('/'))
    throw new JobError('JOB_SOURCE.INVALID', 'path must be absolute (inside NEXUS_IMPORT_DIRS)', {
      fields: [{ field: 'source.path', message: 'must be absolute' }],
    });
  return { ...splitSpec(spec), map: checkedMap(spec.map) };
}

export class SourceStore {
  constructor(
    private readonly db: Db,
    private readonly key: Buffer,
  ) {}

  async create(
    input: { name: string; schedule?: string | null | undefined; source: SourceSpec },
    actor: string,
  ): Promise<SourceView> {
    const split = checkSpec(input.source);
    const id = randomUUID();
    const schedule = input.schedule?.trim() || null;
    const row = await this.db
      .insertInto('sources')
      .values({
        id,
        name: input.name,
        kind: split.kind,
        settings: JSON.stringify(split.settings) as never,
        secrets: sealSecrets(this.key, secretName('source', id), split.secrets),
        map: JSON.stringify(split.map) as never,
        record_source: split.recordSource ?? input.name,
        schedule,
        next_run_at: schedule ? nextRun(schedule) : null,
        created_by: actor,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new JobError('JOB_SOURCE.EXISTS', `a source named ${input.name} exists`);
    return this.view(row);
  }

  async update(input: {
    sourceId: string;
    name?: string | undefined;
    schedule?: string | null | undefined;
    source?: SourceSpec | undefined;
  }): Promise<SourceView> {
    const current = await this.row(input.sourceId);
    const patch: Record<string, unknown> = { updated_at: sql`now()` };
    if (input.name !== undefined) patch.name = input.name;
    if (input.schedule !== undefined) {
      const schedule = input.schedule?.trim() || null;
      patch.schedule = schedule;
      patch.next_run_at = schedule ? nextRun(schedule) : null;
    }
    if (input.source) {
      const split = checkSpec(input.source);
      // Secrets left out keep their saved values (the API never shows them to be sent back).
      const saved =
        split.kind === current.kind
          ? openSecrets(this.key, secretName('source', current.id), current.secrets)
          : {};
      patch.kind = split.kind;
      patch.settings = JSON.stringify(split.settings);
      patch.secrets = sealSecrets(this.key, secretName('source', current.id), { ...saved, ...split.secrets });
      patch.map = JSON.stringify(split.map);
      patch.record_source = split.recordSource ?? current.record_source;
    }
    const row = await this.db
      .updateTable('sources')
      .set(patch as never)
      .where('id', '=', input.sourceId)
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch((error: { code?: string }) => {
        if (error.code === '23505')
          throw new JobError('JOB_SOURCE.EXISTS', `a source named ${input.name} exists`);
        throw error;
      });
    return this.view(row);
  }

  async remove(sourceId: string): Promise<void> {
    const done = await this.db.deleteFrom('sources').where('id', '=', sourceId).executeTakeFirst();
    if (Number(done.numDeletedRows) === 0) throw notFound(sourceId);
  }

  async get(sourceId: string): Promise<SourceView> {
    return this.view(await this.row(sourceId));
  }

  async list(): Promise<SourceView[]> {
    const rows = await this.db.selectFrom('sources').selectAll().orderBy('name').execute();
    return rows.map((r) => this.view(r));
  }

  async row(sourceId: string): Promise<Selectable<SourcesTable>> {
    const row = await this.db.selectFrom('sources').selectAll().where('id', '=', sourceId).executeTakeFirst();
    if (!row) throw notFound(sourceId);
    return row;
  }

  /** The source's secrets, opened: only for running it. */
  secretsOf(row: Selectable<SourcesTable>): Record<string, unknown> {
    return openSecrets(this.key, secretName('source', row.id), row.secrets);
  }

  view(row: Selectable<SourcesTable>): SourceView {
    return {
      id: row.id,
      name: row.name,
      kind: row.kind,
      settings: row.settings,
      secrets: secretNames(row.kind, this.secretsOf(row)),
      map: row.map,
      recordSource: row.record_source,
      schedule: row.schedule,
      nextRunAt: row.next_run_at?.toISOString() ?? null,
      createdBy: row.created_by,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }
}

const notFound = (id: string) => new JobError('JOB_SOURCE.NOT_FOUND', `no source ${id}`);
