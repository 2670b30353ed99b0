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
 * Written as lateral index look-ups from the record's own keys, so the plan stays a handful of
 * index probes even before the planner has statistics on fast-growing tables.
 */
export async function findCandidates<N>(trx: Db, keys: readonly string[]): Promise<CandidateGolden<N>[]> {
  if (keys.length === 0) return [];
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
      select 1 from golden_records g where g.id = m.golden_id and g.status = 'active'
    ) as active
    group by m.golden_id
    order by shared desc, m.golden_id
    limit ${MAX_CANDIDATE_GOLDEN_RECORDS}`.execute(trx);
  if (golden.rows.length === 0) return [];
  const ids = golden.rows.map((g) => g.golden_id);
  const members = await sql<{ golden_id: string; id: string; normalised: N | null }>`
    select g.id as golden_id, r.id, r.normalised
    from unnest(${ids}::uuid[]) as g(id)
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
  return [...byGolden.values()];
}
