import { sql } from 'kysely';
import type { Db } from '../db/database';

/**
 * The sync point of a search index: every golden record change before `synced_through` is
 * searchable in it. Decisions read golden records changed since then from Postgres (they may not
 * be in the index yet), so the index can lag without a twin going unseen (invariant 3).
 *
 * Times stay in SQL (microseconds), never rounded through a JS Date.
 */

/** One lock per index: one indexer at a time, and a reindex's alias swap never overlaps a sync. */
export const indexLockKey = (index: string) => sql`hashtext('nexus-search-index'), hashtext(${index})`;

/**
 * A time before which no golden record change can still commit: golden_records.updated_at is its
 * transaction's start, so changes older than the oldest running transaction are all visible now.
 * One second earlier, for a backend that started a transaction but has not reported it yet.
 */
export async function changeHorizon(db: Db): Promise<string> {
  const { rows } = await sql<{ horizon: string }>`
    select (coalesce(min(xact_start), clock_timestamp()) - interval '1 second')::text as horizon
    from pg_stat_activity
    where datname = current_database() and backend_type = 'client backend'
      and xact_start is not null and pid <> pg_backend_pid()`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('changeHorizon: the pg_stat_activity aggregate returned no row');
  return row.horizon;
}

export async function syncedThrough(db: Db, index: string): Promise<string> {
  await sql`insert into search_index_state (index_name) values (${index}) on conflict do nothing`.execute(db);
  const { rows } = await sql<{ t: string }>`
    select synced_through::text as t from search_index_state where index_name = ${index}`.execute(db);
  const row = rows[0];
  if (row === undefined)
    throw new Error(`syncedThrough: no search_index_state row for index ${index} after inserting it`);
  return row.t;
}

/** The sync point, read only ('-infinity' for an index never synced). */
export async function readSyncedThrough(db: Db, index: string): Promise<string> {
  const { rows } = await sql<{ t: string }>`
    select coalesce((select synced_through from search_index_state where index_name = ${index}),
                    '-infinity'::timestamptz)::text as t`.execute(db);
  const row = rows[0];
  if (row === undefined)
    throw new Error(`readSyncedThrough: the sync point query for index ${index} returned no row`);
  return row.t;
}

export async function advanceSyncedThrough(db: Db, index: string, to: string): Promise<void> {
  await sql`
    insert into search_index_state (index_name, synced_through) values (${index}, ${to}::timestamptz)
    on conflict (index_name) do update
      set synced_through = greatest(search_index_state.synced_through, excluded.synced_through), updated_at = now()`.execute(
    db,
  );
}

/** Moves the sync point back (a new, incomplete index): changes since then are read from Postgres. */
export async function rewindSyncedThrough(db: Db, index: string, to: string): Promise<void> {
  await sql`
    insert into search_index_state (index_name, synced_through) values (${index}, ${to}::timestamptz)
    on conflict (index_name) do update
      set synced_through = least(search_index_state.synced_through, excluded.synced_through), updated_at = now()`.execute(
    db,
  );
}

/** How far the index is behind Postgres, in seconds (for /health and the benchmarks). */
export async function indexLagSeconds(db: Db, index: string): Promise<number | null> {
  const { rows } = await sql<{ lag: number | null }>`
    select extract(epoch from (now() - synced_through))::float8 as lag
    from search_index_state where index_name = ${index}`.execute(db);
  const lag = rows[0]?.lag;
  return lag === undefined || lag === null || !Number.isFinite(lag) ? null : Math.max(0, lag);
}
