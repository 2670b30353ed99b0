import { sql, type Transaction } from 'kysely';
import type { Db } from '@nexus/actors';
import type { Database } from '@nexus/schema';
import type { Config } from '../config';

/** Days each kind of data is kept; 0 keeps it for ever. */
export interface RetentionSettings {
  rawDays: number;
  faceDays: number;
  reviewDays: number;
  auditDays: number;
  accessDays: number;
}

export function retentionSettings(config: Config): RetentionSettings {
  return {
    rawDays: config.NEXUS_RETENTION_RAW_DAYS,
    faceDays: config.NEXUS_RETENTION_FACE_DAYS,
    reviewDays: config.NEXUS_RETENTION_REVIEW_DAYS,
    auditDays: config.NEXUS_RETENTION_AUDIT_DAYS,
    accessDays: config.NEXUS_RETENTION_ACCESS_DAYS,
  };
}

/** What one run removed (or, in a dry run, would remove), by kind. */
export interface RetentionRemoved {
  raw_payloads: number;
  face_images: number;
  dead_letter_payloads: number;
  bus_messages: number;
  review_cases: number;
  audit_entries: number;
  access_records: number;
}

export interface RetentionReport {
  dryRun: boolean;
  settings: RetentionSettings;
  removed: RetentionRemoved;
  startedAt: string;
  durationMs: number;
}

/**
 * A record is decided, for retention, when nothing will read its raw form again: linked, new,
 * rejected or cancelled. Records waiting (received, relayed), in review or dead-lettered (which
 * a replay sends through the engine again) are never purged, whatever their age.
 */
const DECIDED = ['new', 'linked', 'rejected', 'cancelled'] as const;

/** One run at a time across every engine. */
const LOCK = sql`hashtext('nexus.retention'), 0`;

type Trx = Transaction<Database>;

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000);

async function purge(trx: Trx, s: RetentionSettings, now: Date): Promise<RetentionRemoved> {
  const removed: RetentionRemoved = {
    raw_payloads: 0,
    face_images: 0,
    dead_letter_payloads: 0,
    bus_messages: 0,
    review_cases: 0,
    audit_entries: 0,
    access_records: 0,
  };
  // Faces first: a payload purged below takes its face with it, and is counted there.
  if (s.faceDays > 0) {
    const r = await trx
      .updateTable('records')
      .set({ payload: sql`payload - 'face_image'`, face_purged_at: now })
      .where('status', 'in', DECIDED)
      .where(sql<boolean>`coalesce(decided_at, received_at) < ${cutoff(now, s.faceDays)}`)
      .where(sql<boolean>`payload ? 'face_image'`)
      .executeTakeFirst();
    removed.face_images = Number(r.numUpdatedRows);
  }
  if (s.rawDays > 0) {
    const before = cutoff(now, s.rawDays);
    // The raw form goes; external_id stays so the record is still named (results, history) and
    // recognised when its source sends it again. The cleaned values matching needs stay in
    // `normalised`, and the golden record keeps its best values.
    const r = await trx
      .updateTable('records')
      .set({
        payload: sql`jsonb_build_object('external_id', external_id)`,
        payload_purged_at: now,
        face_purged_at: sql`case when payload ? 'face_image' then ${now}::timestamptz else face_purged_at end`,
      })
      .where('status', 'in', DECIDED)
      .where('payload_purged_at', 'is', null)
      .where(sql<boolean>`coalesce(decided_at, received_at) < ${before}`)
      .executeTakeFirst();
    removed.raw_payloads = Number(r.numUpdatedRows);
    const d = await trx
      .updateTable('dead_letters')
      .set({ payload: sql`'{}'::jsonb` })
      .where('status', '<>', 'open')
      .where('resolved_at', '<', before)
      .where(sql<boolean>`payload <> '{}'::jsonb`)
      .executeTakeFirst();
    removed.dead_letter_payloads = Number(d.numUpdatedRows);
  }
  // The Postgres bus keeps each record's message (its payload, face included) after the engine
  // read it: gone with the shorter of the raw and face periods once every consumer group of its
  // topic has committed past it (a message not yet read by one is never purged).
  const busDays = Math.min(...[s.rawDays, s.faceDays].filter((d) => d > 0));
  if (Number.isFinite(busDays)) {
    const r = await sql`
      with groups as (
        select topic, count(distinct group_id) as n from bus_consumer_positions group by topic
      ), read as (
        select topic, partition, min(next_offset) as upto, count(*) as n
        from bus_consumer_positions group by topic, partition
      )
      delete from bus_messages m
      using read r join groups g on g.topic = r.topic
      where r.n = g.n and m.topic = r.topic and m.partition = r.partition
        and m.msg_offset < r.upto and m.created_at < ${cutoff(now, busDays)}`.execute(trx);
    removed.bus_messages = Number(r.numAffectedRows ?? 0);
  }
  if (s.reviewDays > 0) {
    const old = trx
      .selectFrom('review_cases')
      .select('id')
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', cutoff(now, s.reviewDays));
    await trx.deleteFrom('review_case_candidates').where('case_id', 'in', old).execute();
    const r = await trx
      .deleteFrom('review_cases')
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', cutoff(now, s.reviewDays))
      .executeTakeFirst();
    removed.review_cases = Number(r.numDeletedRows);
  }
  if (s.auditDays > 0 || s.accessDays > 0) await sql`set local nexus.retention_purge = 'on'`.execute(trx);
  if (s.auditDays > 0) {
    const r = await trx.deleteFrom('audit_log').where('at', '<', cutoff(now, s.auditDays)).executeTakeFirst();
    removed.audit_entries = Number(r.numDeletedRows);
  }
  if (s.accessDays > 0) {
    const r = await trx
      .deleteFrom('access_records')
      .where('at', '<', cutoff(now, s.accessDays))
      .executeTakeFirst();
    removed.access_records = Number(r.numDeletedRows);
  }
  return removed;
}

class DryRun extends Error {
  constructor(readonly removed: RetentionRemoved) {
    super('dry run');
  }
}

/**
 * One retention run: every purge in one transaction, under the retention lock (`wait`: after
 * another engine's run; `try`: undefined when one is running). A dry run executes the same
 * statements and rolls them back, so its counts are exactly what a run would remove. The run is
 * kept in retention_runs either way.
 */
export async function runRetention(
  db: Db,
  settings: RetentionSettings,
  options: { dryRun: boolean; trigger: 'schedule' | 'command'; mode?: 'wait' | 'try'; now?: Date },
): Promise<RetentionReport | undefined> {
  const now = options.now ?? new Date();
  const started = performance.now();
  let removed: RetentionRemoved | undefined;
  try {
    removed = await db.transaction().execute(async (trx) => {
      if (options.mode === 'try') {
        const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${LOCK}) as ok`.execute(trx);
        if (!got.rows[0]?.ok) return undefined;
      } else {
        await sql`select pg_advisory_xact_lock(${LOCK})`.execute(trx);
      }
      const counts = await purge(trx, settings, now);
      if (options.dryRun) throw new DryRun(counts);
      return counts;
    });
  } catch (error) {
    if (!(error instanceof DryRun)) throw error;
    removed = error.removed;
  }
  if (!removed) return undefined;
  const durationMs = Math.round(performance.now() - started);
  await db
    .insertInto('retention_runs')
    .values({
      trigger: options.trigger,
      dry_run: options.dryRun,
      settings: JSON.stringify(settings) as never,
      removed: JSON.stringify(removed) as never,
      started_at: now,
      duration_ms: durationMs,
    })
    .execute();
  return { dryRun: options.dryRun, settings, removed, startedAt: now.toISOString(), durationMs };
}
