import type { Db } from '../db/database';
import type { NormalisedRecord } from '@nexus/matching';
import { findCandidates, type CandidateGolden } from '../pipeline/candidates';

/**
 * The candidate search port: golden records worth comparing with a record. Called inside the
 * decision's transaction after the record's blocking-key locks, and whatever finds the ids, the
 * members are read from that transaction (invariant 3). Two adapters: Postgres blocking keys
 * (default) and Elasticsearch (ELASTICSEARCH_URL).
 */
export interface CandidateSearch {
  readonly name: string;
  /**
   * Optional, before the transaction: the slow part that needs no lock (a remote query), so the
   * key locks are not held while it runs. Its result is handed to `find`.
   */
  prefetch?(db: Db, record: NormalisedRecord): Promise<unknown>;
  /**
   * Optional, before a micro-batch's transaction: the index's answers for all its records in one
   * request (docs/decisions/0056). Only a search that has it is used on the batched path;
   * undefined means "decide the batch from Postgres alone".
   */
  prefetchBatch?(db: Db, records: readonly NormalisedRecord[]): Promise<IndexAnswers | undefined>;
  find<N>(
    trx: Db,
    record: NormalisedRecord,
    keys: readonly string[],
    prefetched?: unknown,
  ): Promise<CandidateGolden<N>[]>;
  close(): Promise<void>;
}

/**
 * A remote index's golden ids for each record of a batch (by score), and its sync point read
 * before they were asked: golden records changed since then are read from Postgres as well.
 */
export interface IndexAnswers {
  since: string;
  hits: string[][];
}

/** Blocking keys and exact identifiers in Postgres (pg_trgm and fuzzystrmatch stay available). */
export const postgresCandidateSearch: CandidateSearch = {
  name: 'postgres',
  find: (trx, _record, keys) => findCandidates(trx, keys),
  close: () => Promise.resolve(),
};
