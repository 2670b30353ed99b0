/**
 * Whether one search answer of Elasticsearch can be read as the index's whole answer. A shard
 * that failed or timed out left its hits out, and reading what came back would take "some shards
 * failed" for "no candidates": a record decided on it could become a false new person. Both the
 * one-record `search` and a micro-batch's `_msearch` read answers through this one rule
 * (docs/decisions/0056-elasticsearch-candidates-in-one-msearch.md).
 */
interface SearchAnswer {
  timed_out?: boolean;
  _shards?: { failed?: number };
  hits: { hits: ReadonlyArray<{ _id?: string | null }> };
}

/** The golden ids of a complete answer, best first; undefined for an error or a partial answer. */
export function completeHits(answer: SearchAnswer | { error: unknown }): string[] | undefined {
  if ('error' in answer) return undefined;
  if (answer.timed_out === true || (answer._shards?.failed ?? 0) > 0) return undefined;
  return answer.hits.hits.map((h) => h._id).filter((id): id is string => typeof id === 'string');
}
