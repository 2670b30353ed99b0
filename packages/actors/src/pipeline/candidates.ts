import { sql } from 'kysely';
import type { Db } from '../db/database';

export interface CandidateGolden<N> {
  goldenId: string;
  members: Array<{ recordId: string; normalised: N }>;
}

/** Golden records sharing the most keys come first; beyond this many the key was too common to help. */
export const MAX_CANDIDATE_GOLDEN_RECORDS = 50;
/** Records read per key: a key shared by more records than this says little about any of them. */
export const MAX_RECORDS_PER_KEY = 200;

/**
 * Active golden records that share a blocking key or an exact identifier with the record, with
 * their members' normalised fields. Read inside the decision's transaction, after its locks.
 * This is the Postgres candidate search (the default CandidateSearch).
 */
export async function findCandidates<N>(trx: Db, keys: readonly string[]): Promise<CandidateGolden<N>[]> {
  return candidateMembers<N>(trx, await blockingKeyGoldenIds(trx, keys));
}

/**
 * Ids of active golden records sharing a key with the record, most shared keys first. Written as
 * lateral index look-ups from the record's own keys, so the plan stays a handful of index probes
 * even before the planner has statistics on fast-growing tables. With `notSearchableIn` (or
 * `changedSince`, that sync point read earlier), only those changed since a search index's sync
 * point (see search/searchIndexState.ts).
 */
export async function blockingKeyGoldenIds(
  trx: Db,
  keys: readonly string[],
  options: { notSearchableIn?: string; changedSince?: string } = {},
): Promise<string[]> {
  if (keys.length === 0) return [];
  const changedSince =
    options.changedSince !== undefined
      ? sql`and g.updated_at >= ${options.changedSince}::timestamptz`
      : options.notSearchableIn !== undefined
        ? sql`and g.updated_at >= coalesce((select s.synced_through from search_index_state s
            where s.index_name = ${options.notSearchableIn}), '-infinity'::timestamptz)`
        : sql``;
  const golden = await sql<{ golden_id: string }>`
    select m.golden_id, count(distinct k.key) as shared
    from unnest(${[...keys]}::text[]) as k(key)
    cross join lateral (
      select bk.record_id from blocking_keys bk where bk.key = k.key limit ${MAX_RECORDS_PER_KEY}
    ) as hit
    cross join lateral (
      select gm.golden_id from golden_record_members gm where gm.record_id = hit.record_id
    ) as m
    cross join lateral (
      select 1 from golden_records g where g.id = m.golden_id and g.status = 'active' ${changedSince}
    ) as active
    group by m.golden_id
    order by shared desc, m.golden_id
    limit ${MAX_CANDIDATE_GOLDEN_RECORDS}`.execute(trx);
  return golden.rows.map((g) => g.golden_id);
}

/**
 * The members of these golden records, oldest link first, read from `trx`. With `activeOnly`,
 * golden records no longer active (an index may be behind a merge) are left out.
 */
export async function candidateMembers<N>(
  trx: Db,
  goldenIds: readonly string[],
  options: { activeOnly?: boolean } = {},
): Promise<CandidateGolden<N>[]> {
  if (goldenIds.length === 0) return [];
  const ids = [...goldenIds];
  const active =
    options.activeOnly === true
      ? sql`cross join lateral (select 1 from golden_records gg where gg.id = g.id and gg.status = 'active') as a`
      : sql``;
  const members = await sql<{ golden_id: string; id: string; normalised: N | null }>`
    select g.id as golden_id, r.id, r.normalised
    from unnest(${ids}::uuid[]) as g(id)
    ${active}
    cross join lateral (
      select gm.record_id, gm.linked_at from golden_record_members gm where gm.golden_id = g.id
    ) as m
    cross join lateral (select rr.id, rr.normalised from records rr where rr.id = m.record_id) as r
    order by m.linked_at`.execute(trx);
  const byGolden = new Map<string, CandidateGolden<N>>(ids.map((id) => [id, { goldenId: id, members: [] }]));
  for (const m of members.rows) {
    if (m.normalised === null) continue;
    byGolden.get(m.golden_id)?.members.push({ recordId: m.id, normalised: m.normalised });
  }
  const found = [...byGolden.values()];
  return options.activeOnly === true ? found.filter((g) => g.members.length > 0) : found;
}
