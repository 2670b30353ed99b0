/**
 * The set-based merged_into walks, written once. A merge leaves the absorbed golden record in
 * place with merged_into pointing at the survivor, so a stored golden id (a member row, a face
 * reference, a verdict) may name a record that has since been merged, perhaps more than once.
 * Forward (`survivorChain`): where does this id live now? Backward (`mergedTree`): which golden
 * records were folded into this one? followMerged (goldenRecordRows.ts) is the locking walk of
 * one id, hop by hop, for the paths that are about to write.
 *
 * Each builds a recursive CTE for a `with recursive` list; the depth bound keeps a corrupt cycle
 * from running forever (a chain of 64 merges of one person has not been seen).
 */
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';

const MAX_DEPTH = 64;

const name = (cte: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(cte)) throw new Error(`${cte} is not a CTE name`);
  return sql.raw(cte);
};

/**
 * CTEs `<cte>(start_id, golden_id)`: each golden id that `starts` selects (one uuid column),
 * with the golden record at the end of its merged_into chain (itself when not merged; an id
 * that names no golden record gives no row).
 */
export function survivorChain(cte: string, starts: RawBuilder<unknown>): RawBuilder<unknown> {
  const walk = name(`${cte}_walk`);
  return sql`${walk}(start_id, id, merged_into, depth) as (
      select s.id, g.id, g.merged_into, 0
      from (${starts}) as s(id) join golden_records g on g.id = s.id
      union all
      select w.start_id, g.id, g.merged_into, w.depth + 1
      from ${walk} w join golden_records g on g.id = w.merged_into
      where w.depth < ${sql.lit(MAX_DEPTH)}
    ), ${name(cte)}(start_id, golden_id) as (
      select start_id, id from ${walk} where merged_into is null
    )`;
}

/**
 * A CTE `<cte>(root_id, golden_id)`: each golden id that `roots` selects (one uuid column) with
 * itself and every golden record merged into it, directly or through others.
 */
export function mergedTree(cte: string, roots: RawBuilder<unknown>): RawBuilder<unknown> {
  const tree = name(cte);
  return sql`${tree}(root_id, golden_id, depth) as (
      select r.id, r.id, 0 from (${roots}) as r(id)
      union all
      select t.root_id, g.id, t.depth + 1
      from ${tree} t join golden_records g on g.merged_into = t.golden_id
      where t.depth < ${sql.lit(MAX_DEPTH)}
    )`;
}

/** Each of these golden ids with the golden record that holds it now (ids of no golden record left out). */
export async function survivorsOf(db: Db, goldenIds: readonly string[]): Promise<Map<string, string>> {
  if (goldenIds.length === 0) return new Map();
  const { rows } = await sql<{ start_id: string; golden_id: string }>`
    with recursive ${survivorChain('survivor', sql`select unnest(${[...new Set(goldenIds)]}::uuid[])`)}
    select start_id, golden_id from survivor`.execute(db);
  return new Map(rows.map((r) => [r.start_id, r.golden_id]));
}

/** The golden records merged, directly or through others, into these (not these themselves), in id order. */
export async function goldenMergedInto(db: Db, goldenIds: readonly string[]): Promise<string[]> {
  if (goldenIds.length === 0) return [];
  const { rows } = await sql<{ golden_id: string }>`
    with recursive ${mergedTree('tree', sql`select unnest(${[...goldenIds]}::uuid[])`)}
    select distinct golden_id from tree where depth > 0 order by golden_id`.execute(db);
  return rows.map((r) => r.golden_id);
}
