import type { Client } from '@elastic/elasticsearch';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { NormalisedRecord } from '@nexus/matching';
import { GOLDEN_RECORD_INDEX_BODY, goldenRecordDocument } from './goldenRecordDocument';
import {
  advanceSyncedThrough,
  changeHorizon,
  indexLockKey,
  rewindSyncedThrough,
  syncedThrough,
} from './searchIndexState';

interface GoldenRow {
  id: string;
  status: string;
  version: number;
  updated_at: string;
  members: NormalisedRecord[];
}

const PAGE = 1000;

/** The golden records' rows and their members' normalised fields, as documents in one bulk. */
async function bulkIndex(
  client: Client,
  index: string,
  rows: readonly GoldenRow[],
  refresh: boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const operations = rows.flatMap((r): object[] =>
    // An erased golden record (issue 18) leaves the index; versioned, so an older write cannot bring it back.
    r.status === 'erased'
      ? [{ delete: { _index: index, _id: r.id, version: r.version, version_type: 'external_gte' as const } }]
      : [
          // external_gte: a slower writer never puts an older version of a golden record back.
          { index: { _index: index, _id: r.id, version: r.version, version_type: 'external_gte' as const } },
          goldenRecordDocument(r.status, r.members),
        ],
  );
  const result = await client.bulk(
    { operations, refresh: refresh ? 'wait_for' : false },
    { requestTimeout: 60_000 },
  );
  if (result.errors) {
    const failed = result.items.find((i) => i.index?.error && i.index.status !== 409)?.index;
    if (failed)
      throw new Error(`indexing golden record ${failed._id ?? ''} failed: ${JSON.stringify(failed.error)}`);
  }
}

const membersOf = sql<NormalisedRecord[]>`coalesce((select jsonb_agg(r.normalised order by m.linked_at)
  from golden_record_members m join records r on r.id = m.record_id
  where m.golden_id = c.id and r.normalised is not null), '[]'::jsonb)`;

async function earliest(db: Db, a: string, b: string): Promise<string> {
  const { rows } = await sql<{
    t: string;
  }>`select least(${a}::timestamptz, ${b}::timestamptz)::text as t`.execute(db);
  const row = rows[0];
  if (row === undefined) throw new Error('earliest: select least(...) returned no row');
  return row.t;
}

/** Creates the index behind `alias` if there is none; a new index starts with nothing synced. */
export async function ensureSearchIndex(db: Db, client: Client, alias: string): Promise<void> {
  if (await client.indices.exists({ index: alias })) return;
  const index = `${alias}-${Date.now().toString(36)}`;
  await client.indices.create({ index, ...GOLDEN_RECORD_INDEX_BODY, aliases: { [alias]: {} } });
  await rewindSyncedThrough(db, alias, '-infinity');
}

/**
 * Keeps the index in step with Postgres: indexes the golden records changed since the sync
 * point, then moves it up to the change horizon. Driven by Postgres rather than by decision
 * messages, so a crash between a commit and its indexing is repaired by the next sync, in
 * whichever process runs it. One sync at a time per index (an advisory lock).
 */
export async function syncSearchIndex(db: Db, client: Client, alias: string): Promise<number> {
  let indexed = 0;
  for (;;) {
    const { count, more } = await db.transaction().execute(async (trx) => {
      const { rows: lock } = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_xact_lock(${indexLockKey(alias)}) as ok`.execute(trx);
      if (lock[0]?.ok !== true) return { count: 0, more: false };
      const horizon = await changeHorizon(trx);
      const since = await syncedThrough(trx, alias);
      const { rows } = await sql<GoldenRow>`
        with c as (
          select id, status, version, updated_at from golden_records
          where updated_at >= ${since}::timestamptz order by updated_at limit ${PAGE}
        )
        select c.id, c.status, c.version, c.updated_at::text as updated_at, ${membersOf} as members
        from c order by c.updated_at`.execute(trx);
      await bulkIndex(client, alias, rows, true);
      const full = rows.length === PAGE;
      const last = rows.at(-1)?.updated_at;
      // A full page moves the point to its last change (ties are read again, harmlessly).
      await advanceSyncedThrough(
        trx,
        alias,
        full && last !== undefined ? await earliest(trx, last, horizon) : horizon,
      );
      return { count: rows.length, more: full && last !== since };
    });
    indexed += count;
    if (!more) return indexed;
  }
}

/**
 * `nexus reindex`: builds a new index from Postgres beside the live one, then swaps the alias.
 * The sync point is first moved back to when the rebuild started, under the indexers' lock, so
 * changes made during the rebuild are read from Postgres until the next sync indexes them.
 */
export async function reindexSearch(
  db: Db,
  client: Client,
  alias: string,
  onProgress?: (indexed: number) => void,
): Promise<{ index: string; documents: number }> {
  const startedAt = await changeHorizon(db);
  const index = `${alias}-${Date.now().toString(36)}`;
  await client.indices.create({ index, ...GOLDEN_RECORD_INDEX_BODY });
  let documents = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<GoldenRow>`
      with c as (
        select id, status, version, updated_at from golden_records
        where status = 'active' and id > ${after}::uuid order by id limit ${PAGE}
      )
      select c.id, c.status, c.version, c.updated_at::text as updated_at, ${membersOf} as members
      from c order by c.id`.execute(db);
    if (rows.length === 0) break;
    await bulkIndex(client, index, rows, false);
    documents += rows.length;
    const last = rows.at(-1);
    if (last === undefined)
      throw new Error('reindexSearch: a non-empty page of golden records has no last row');
    after = last.id;
    onProgress?.(documents);
  }
  await client.indices.refresh({ index });
  const previous = (await client.indices.exists({ index: alias }))
    ? Object.keys(await client.indices.get({ index: alias }))
    : [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${indexLockKey(alias)})`.execute(conn);
    try {
      await rewindSyncedThrough(conn, alias, startedAt);
      await client.indices.updateAliases({
        actions: [...previous.map((old) => ({ remove_index: { index: old } })), { add: { index, alias } }],
      });
    } finally {
      await sql`select pg_advisory_unlock(${indexLockKey(alias)})`.execute(conn);
    }
  });
  return { index, documents };
}

export interface SearchIndexer {
  /** Sync soon (after decisions were committed), instead of at the next tick. */
  kick(): void;
  /** The last sync's error, until one succeeds (for /health). */
  lastError(): string | undefined;
  stop(): Promise<void>;
}

/** The indexing loop of one process: sync every `intervalMs`, or at once when kicked. */
export function startSearchIndexer(
  db: Db,
  client: Client,
  alias: string,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): SearchIndexer {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let kicked = false;
  let wake: (() => void) | undefined;
  let lastError: string | undefined;
  let ready = false;
  const loop = (async () => {
    while (!stopped) {
      kicked = false;
      try {
        if (!ready) {
          await ensureSearchIndex(db, client, alias);
          ready = true;
        }
        await syncSearchIndex(db, client, alias);
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        options.onError?.(error);
      }
      if (stopped || kicked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, lastError ? intervalMs * 5 : intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
  })();
  return {
    kick: () => {
      kicked = true;
      wake?.();
    },
    lastError: () => lastError,
    stop: async () => {
      stopped = true;
      wake?.();
      await loop;
    },
  };
}
