import type { Client } from '@elastic/elasticsearch';
import type { Db } from '../db/database';
import type { NormalisedRecord } from '@nexus/matching';
import {
  blockingKeyGoldenIds,
  candidateMembers,
  findCandidates,
  MAX_CANDIDATE_GOLDEN_RECORDS,
  type CandidateGolden,
} from '../pipeline/candidates';
import type { CandidateSearch, IndexAnswers } from './candidateSearch';
import { completeHits } from './completeAnswer';
import { candidateQuery } from './goldenRecordDocument';
import { readSyncedThrough } from './searchIndexState';

/** What the index said, and the sync point read *before* asking it. */
interface IndexAnswer {
  since: string;
  hits: string[];
}

/**
 * Candidate search in Elasticsearch. The index gives golden ids by fuzzy score; the members are
 * then read from the decision's transaction, after its locks. The index is written after commit,
 * so golden records changed since its sync point come from Postgres blocking keys as well
 * (docs/decisions/0014). The sync point is read before the index is asked: whatever changed
 * before it was searchable when the query ran, whatever changed after is read from Postgres.
 * The query runs before the transaction (`prefetch`), so the key locks are not held meanwhile.
 * When the node fails, this falls back to Postgres alone and tries the node again a few seconds
 * later: decisions go on either way.
 */
export class ElasticsearchCandidateSearch implements CandidateSearch {
  readonly name = 'elasticsearch';
  private downUntil = 0;
  /** Decisions that fell back to Postgres because the node failed (for tests and metrics). */
  fallbacks = 0;

  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly retryAfterMs = 5000,
  ) {}

  /** The sync point, then the index's answer; undefined when the node cannot answer now. */
  async prefetch(db: Db, record: NormalisedRecord): Promise<IndexAnswer | undefined> {
    if (Date.now() < this.downUntil) return undefined;
    const since = await readSyncedThrough(db, this.index);
    const hits = await this.search(record);
    return hits === undefined ? undefined : { since, hits };
  }

  async find<N>(
    trx: Db,
    record: NormalisedRecord,
    keys: readonly string[],
    prefetched?: unknown,
  ): Promise<CandidateGolden<N>[]> {
    const answer =
      prefetched === undefined ? await this.prefetch(trx, record) : (prefetched as IndexAnswer | undefined);
    if (answer === undefined) {
      this.fallbacks++;
      return findCandidates<N>(trx, keys);
    }
    const unsynced = await blockingKeyGoldenIds(trx, keys, { changedSince: answer.since });
    const ids = [...new Set([...unsynced, ...answer.hits])].slice(0, MAX_CANDIDATE_GOLDEN_RECORDS);
    return candidateMembers<N>(trx, ids, { activeOnly: true });
  }

  /**
   * A micro-batch's answers (docs/decisions/0056): the sync point read once, then every record's
   * query in one `_msearch`, each answer what `prefetch` would have given that record. Undefined
   * when the node cannot answer now, and also when any one query failed: a record must never be
   * decided as if the index had found nothing, so the whole batch then falls back to Postgres, as
   * a failed query does on the one-record path.
   */
  async prefetchBatch(db: Db, records: readonly NormalisedRecord[]): Promise<IndexAnswers | undefined> {
    const answers = Date.now() < this.downUntil ? undefined : await this.askBatch(db, records);
    if (answers === undefined) this.fallbacks += records.length;
    return answers;
  }

  private async askBatch(db: Db, records: readonly NormalisedRecord[]): Promise<IndexAnswers | undefined> {
    const since = await readSyncedThrough(db, this.index);
    const queries = records.map((r) => this.queryOf(r));
    const asked = queries.flatMap((query) =>
      query === undefined
        ? []
        : [
            { index: this.index },
            { size: MAX_CANDIDATE_GOLDEN_RECORDS, _source: false, track_total_hits: false, query },
          ],
    );
    if (asked.length === 0) return { since, hits: records.map(() => []) };
    let answered: Array<string[] | undefined>;
    try {
      const { responses } = await this.client.msearch({ searches: asked });
      // A shard that failed or timed out left its hits out: as unanswered as an error.
      answered = responses.map(completeHits);
    } catch {
      answered = [];
    }
    // One query unanswered fails the batch's search: never decide a record on no candidates.
    if (answered.length !== asked.length / 2 || answered.some((a) => a === undefined)) {
      this.downUntil = Date.now() + this.retryAfterMs;
      return undefined;
    }
    let next = 0;
    const hits = queries.map((query) => {
      if (query === undefined) return [];
      const ids = answered[next++];
      if (ids === undefined) throw new Error(`msearch answered ${answered.length} queries, fewer than asked`);
      return ids;
    });
    return { since, hits };
  }

  /**
   * Golden ids by score, or undefined when the node cannot answer now: an error, and also an
   * answer some of whose shards failed or timed out, which is read as no answer (never as "no
   * candidates"), as `prefetchBatch` reads it; the record's candidates then come from Postgres.
   */
  async search(record: NormalisedRecord): Promise<string[] | undefined> {
    const query = this.queryOf(record);
    if (query === undefined) return [];
    if (Date.now() < this.downUntil) return undefined;
    let hits: string[] | undefined;
    try {
      hits = completeHits(
        await this.client.search({
          index: this.index,
          size: MAX_CANDIDATE_GOLDEN_RECORDS,
          _source: false,
          track_total_hits: false,
          query,
        }),
      );
    } catch {
      hits = undefined;
    }
    if (hits === undefined) this.downUntil = Date.now() + this.retryAfterMs;
    return hits;
  }

  /** The record's query (a seam for tests that need one query to fail on a real node). */
  protected queryOf(record: NormalisedRecord): ReturnType<typeof candidateQuery> {
    return candidateQuery(record);
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
