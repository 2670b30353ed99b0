import { sql } from 'kysely';
import type { Db } from '../../db/database';
import {
  candidateMembers,
  MAX_CANDIDATE_GOLDEN_RECORDS,
  MAX_RECORDS_PER_KEY,
  type CandidateGolden,
} from '../candidates';

interface KeyHit {
  recordId: string;
  /** The active golden record the record belongs to; null for one in review (or not active). */
  goldenId: string | null;
}

/**
 * The candidates of a whole micro-batch, read in two queries after its keys are locked, then
 * kept current in memory as its records are decided in order: a record sees the golden records
 * and members the records before it created, exactly as if each had committed before the next
 * was read (findCandidates: the same per-key limit, ranking and cut-off).
 */
export class CandidatePool<N> {
  private readonly members = new Map<string, Array<{ recordId: string; normalised: N }>>();
  /** Records decided earlier in this batch, per key, in the order they were decided. */
  private readonly added = new Map<string, KeyHit[]>();
  /** Members added earlier in this batch, per golden record (new or existing). */
  private readonly addedMembers = new Map<string, Array<{ recordId: string; normalised: N }>>();
  /** Golden records this batch created. */
  private readonly created = new Set<string>();

  private constructor(
    private readonly trx: Db,
    private readonly hits: Map<string, KeyHit[]>,
  ) {}

  /** Reads the records behind every key of the batch, and the members of the golden records each record ranks first. */
  static async load<N>(trx: Db, recordKeys: ReadonlyArray<readonly string[]>): Promise<CandidatePool<N>> {
    const keys = [...new Set(recordKeys.flat())];
    const hits = new Map<string, KeyHit[]>(keys.map((k) => [k, []]));
    if (keys.length > 0) {
      // The same lateral index look-ups as blockingKeyGoldenIds, per key instead of per record.
      const { rows } = await sql<{ key: string; record_id: string; golden_id: string | null }>`
        select k.key, hit.record_id, m.golden_id
        from unnest(${keys}::text[]) as k(key)
        cross join lateral (
          select bk.record_id from blocking_keys bk where bk.key = k.key limit ${MAX_RECORDS_PER_KEY}
        ) as hit
        left join lateral (
          select gm.golden_id from golden_record_members gm
          where gm.record_id = hit.record_id
            and exists (select 1 from golden_records g where g.id = gm.golden_id and g.status = 'active')
        ) as m on true`.execute(trx);
      for (const r of rows) hits.get(r.key)?.push({ recordId: r.record_id, goldenId: r.golden_id });
    }
    const pool = new CandidatePool<N>(trx, hits);
    await pool.fetchMembers(recordKeys.flatMap((k) => pool.ranked(k)));
    return pool;
  }

  /** The record's candidates as findCandidates would return them now. */
  async candidatesFor(keys: readonly string[]): Promise<CandidateGolden<N>[]> {
    const ranked = this.ranked(keys);
    await this.fetchMembers(ranked);
    return ranked.map((goldenId) => ({
      goldenId,
      members: [...(this.members.get(goldenId) ?? []), ...(this.addedMembers.get(goldenId) ?? [])],
    }));
  }

  /**
   * A record decided in this batch: its keys now lead to it, and to its golden record if it has
   * one (`created`: a golden record this batch made, which the database does not hold yet).
   */
  add(
    recordId: string,
    keys: readonly string[],
    goldenId: string | null,
    normalised: N,
    created = false,
  ): void {
    for (const key of new Set(keys)) {
      const list = this.added.get(key) ?? [];
      list.push({ recordId, goldenId });
      this.added.set(key, list);
    }
    if (goldenId === null) return;
    if (created) {
      this.members.set(goldenId, []);
      this.created.add(goldenId);
    }
    const list = this.addedMembers.get(goldenId) ?? [];
    // As read back from the database: the stored jsonb, not the object in hand.
    list.push({ recordId, normalised: JSON.parse(JSON.stringify(normalised)) as N });
    this.addedMembers.set(goldenId, list);
  }

  /** What this batch added to a golden record (batch/batchFaces.ts), or nothing. */
  addedTo(
    goldenId: string,
  ): { created: boolean; members: Array<{ recordId: string; normalised: N }> } | undefined {
    const members = this.addedMembers.get(goldenId);
    return members ? { created: this.created.has(goldenId), members } : undefined;
  }

  /** Golden ids by keys shared (most first), then id; at most MAX_CANDIDATE_GOLDEN_RECORDS. */
  private ranked(keys: readonly string[]): string[] {
    const shared = new Map<string, number>();
    for (const key of new Set(keys)) {
      const stored = this.hits.get(key) ?? [];
      // New rows sit behind the stored ones: a key already at the limit does not reach them.
      const fresh = (this.added.get(key) ?? []).slice(0, Math.max(0, MAX_RECORDS_PER_KEY - stored.length));
      const golden = new Set<string>();
      for (const h of [...stored, ...fresh]) if (h.goldenId !== null) golden.add(h.goldenId);
      for (const g of golden) shared.set(g, (shared.get(g) ?? 0) + 1);
    }
    return [...shared]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, MAX_CANDIDATE_GOLDEN_RECORDS)
      .map(([g]) => g);
  }

  private async fetchMembers(goldenIds: readonly string[]): Promise<void> {
    const missing = [...new Set(goldenIds)].filter((g) => !this.members.has(g));
    if (missing.length === 0) return;
    for (const golden of await candidateMembers<N>(this.trx, missing)) {
      this.members.set(golden.goldenId, golden.members);
    }
  }
}
