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
 *
 * With a search index (`since`, its sync point read before it was asked), a record's candidates
 * are those ElasticsearchCandidateSearch.find would read: the blocking-key golden records
 * changed since the sync point (stored ones by `updated_at`, and every golden record this batch
 * created or linked to, which commits with a later `updated_at`), then the index's hits; the
 * first MAX_CANDIDATE_GOLDEN_RECORDS that are active.
 */

export class CandidatePool<N> {
  private readonly members = new Map<string, Array<{ recordId: string; normalised: N }>>();
  /** Records decided earlier in this batch, per key, in the order they were decided. */
  private readonly added = new Map<string, KeyHit[]>();
  /** Members added earlier in this batch, per golden record (new or existing). */
  private readonly addedMembers = new Map<string, Array<{ recordId: string; normalised: N }>>();
  /** With an index: golden records changed since its sync point (stored, or touched by this batch). */
  private readonly changed = new Set<string>();
  /** Index hits found not active when their members were read (the index lags a merge). */
  private readonly inactive = new Set<string>();
  /** Golden records this batch created. */
  private readonly created = new Set<string>();

  private constructor(
    private readonly trx: Db,
    private readonly hits: Map<string, KeyHit[]>,
    private readonly index: { since: string } | undefined,
  ) {}

  /**
   * Reads the records behind every key of the batch, and the members of the golden records each
   * record ranks first. `index`: the search index's sync point, when the batch's records come
   * with index hits.
   */
  static async load<N>(
    trx: Db,
    recordKeys: ReadonlyArray<readonly string[]>,
    index?: { since: string; hits: ReadonlyArray<readonly string[]> },
  ): Promise<CandidatePool<N>> {
    const keys = [...new Set(recordKeys.flat())];
    const hits = new Map<string, KeyHit[]>(keys.map((k) => [k, []]));
    const changed: string[] = [];
    if (keys.length > 0) {
      // The same lateral index look-ups as blockingKeyGoldenIds, per key instead of per record.
      const { rows } = await sql<{
        key: string;
        record_id: string;
        golden_id: string | null;
        changed: boolean | null;
      }>`
        select k.key, hit.record_id, m.golden_id, m.changed
        from unnest(${keys}::text[]) as k(key)
        cross join lateral (
          select bk.record_id from blocking_keys bk where bk.key = k.key limit ${MAX_RECORDS_PER_KEY}
        ) as hit
        left join lateral (
          select gm.golden_id, g.updated_at >= ${index?.since ?? null}::timestamptz as changed
          from golden_record_members gm
          join golden_records g on g.id = gm.golden_id and g.status = 'active'
          where gm.record_id = hit.record_id
        ) as m on true`.execute(trx);
      for (const r of rows) {
        hits.get(r.key)?.push({ recordId: r.record_id, goldenId: r.golden_id });
        if (r.changed === true && r.golden_id !== null) changed.push(r.golden_id);
      }
    }
    const pool = new CandidatePool<N>(trx, hits, index && { since: index.since });
    for (const g of changed) pool.changed.add(g);
    await pool.fetchMembers(
      recordKeys.flatMap((k, i) =>
        index ? [...pool.ranked(k, true), ...(index.hits[i] ?? [])] : pool.ranked(k),
      ),
    );
    return pool;
  }

  /**
   * The record's candidates as findCandidates would return them now, or with index hits as
   * ElasticsearchCandidateSearch.find would.
   */
  async candidatesFor(keys: readonly string[], indexHits?: readonly string[]): Promise<CandidateGolden<N>[]> {
    const ranked =
      this.index === undefined
        ? this.ranked(keys)
        : [...new Set([...this.ranked(keys, true), ...(indexHits ?? [])])].slice(
            0,
            MAX_CANDIDATE_GOLDEN_RECORDS,
          );
    await this.fetchMembers(ranked);
    const found = ranked
      .filter((goldenId) => !this.inactive.has(goldenId))
      .map((goldenId) => ({
        goldenId,
        members: [...(this.members.get(goldenId) ?? []), ...(this.addedMembers.get(goldenId) ?? [])],
      }));
    // As candidateMembers with activeOnly: a golden record with no readable member is left out.
    return this.index === undefined ? found : found.filter((g) => g.members.length > 0);
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
    // Its write commits with this transaction's start as updated_at, after any sync point.
    this.changed.add(goldenId);
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

  /**
   * Golden ids by keys shared (most first), then id; at most MAX_CANDIDATE_GOLDEN_RECORDS. With
   * `changedOnly`, only those changed since the index's sync point (the cut-off after that filter,
   * as blockingKeyGoldenIds with changedSince).
   */
  private ranked(keys: readonly string[], changedOnly = false): string[] {
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
      .filter(([g]) => !changedOnly || this.changed.has(g))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, MAX_CANDIDATE_GOLDEN_RECORDS)
      .map(([g]) => g);
  }

  private async fetchMembers(goldenIds: readonly string[]): Promise<void> {
    const missing = [...new Set(goldenIds)].filter((g) => !this.members.has(g) && !this.inactive.has(g));
    if (missing.length === 0) return;
    // Blocking-key golden records were read active under the locks; index hits may not be.
    const read = await candidateMembers<N>(this.trx, missing, { activeOnly: this.index !== undefined });
    for (const golden of read) this.members.set(golden.goldenId, golden.members);
    if (this.index !== undefined) for (const g of missing) if (!this.members.has(g)) this.inactive.add(g);
  }
}
