import { sql } from 'kysely';
import { canonicalRecordSchema } from '@nexus/schema';
import type { Db } from '../db/database';
import { storedBest } from './goldenRecordRows';
import { survivingValues, type SurvivorMember } from './survivorship';

export interface MemberRow {
  record_id: string;
  golden_id: string;
  precedence: 'primary' | 'secondary';
  linked_at: Date;
  payload: Record<string, unknown>;
}

/**
 * The members of golden records with their payloads, oldest first (the primary first, when the
 * data is consistent). Read after the golden rows are locked, it sees every member committed
 * before the lock was granted. Lateral index look-ups: a stable plan even before the tables have
 * statistics (the engine reads this on every link).
 */
export async function membersOf(trx: Db, goldenIds: readonly string[]): Promise<MemberRow[]> {
  if (goldenIds.length === 0) return [];
  const { rows } = await sql<MemberRow>`
    select m.record_id, m.golden_id, m.precedence, m.linked_at, r.payload
    from unnest(${[...new Set(goldenIds)]}::uuid[]) as g(id)
    cross join lateral (
      select gm.record_id, gm.golden_id, gm.precedence, gm.linked_at
      from golden_record_members gm where gm.golden_id = g.id
    ) as m
    cross join lateral (select rr.payload from records rr where rr.id = m.record_id) as r
    order by m.linked_at, m.record_id`.execute(trx);
  return rows;
}

export const survivorOf = (m: MemberRow): SurvivorMember => ({
  record: canonicalRecordSchema.parse(m.payload),
  linkedAt: m.linked_at,
});

/** Survivorship over stored members. */
export const bestOf = (members: readonly MemberRow[]): Record<string, string> =>
  survivingValues(members.map(survivorOf));

/**
 * After members moved (a merge, a split) or went (an erasure): the oldest member becomes the
 * primary, the best values are recomputed over `members`, the version bumped. Returns the best values.
 */
export async function settleGoldenRecord(
  trx: Db,
  goldenId: string,
  members: readonly MemberRow[],
): Promise<Record<string, string>> {
  const oldest = members[0];
  if (oldest) {
    // Demote first: one primary per golden record at every moment.
    await trx
      .updateTable('golden_record_members')
      .set({ precedence: 'secondary' })
      .where('golden_id', '=', goldenId)
      .where('precedence', '=', 'primary')
      .where('record_id', '<>', oldest.record_id)
      .execute();
    await trx
      .updateTable('golden_record_members')
      .set({ precedence: 'primary' })
      .where('record_id', '=', oldest.record_id)
      .execute();
  }
  const best = bestOf(members);
  await trx
    .updateTable('golden_records')
    .set({
      best: storedBest(best),
      member_count: members.length,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', goldenId)
    .execute();
  return best;
}
