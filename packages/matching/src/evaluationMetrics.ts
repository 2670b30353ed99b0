/**
 * Pairwise accuracy of a clustering against the truth, over all pairs of records: a predicted
 * pair is two records put in one cluster, a true pair two records of one entity. Records left
 * out of every cluster (sent to review) form no predicted pair.
 */

export interface PairwiseScores {
  truePairs: number;
  predictedPairs: number;
  correctPairs: number;
  precision: number;
  recall: number;
  f1: number;
  /** Records in the largest predicted cluster, beside the largest true one: a chaining alarm. */
  largestCluster: number;
  largestTrueCluster: number;
}

const pairs = (n: number) => (n * (n - 1)) / 2;

function countBy<T>(items: Iterable<T>): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** entity[i] is the truth of record i; cluster[i] its predicted cluster, undefined if none. */
export function pairwiseScores(
  entity: readonly string[],
  cluster: ReadonlyArray<string | undefined>,
): PairwiseScores {
  let truePairs = 0;
  for (const n of countBy(entity).values()) truePairs += pairs(n);
  let largestTrueCluster = 0;
  for (const n of countBy(entity).values()) largestTrueCluster = Math.max(largestTrueCluster, n);
  let predictedPairs = 0;
  let largestCluster = 0;
  for (const n of countBy(cluster.filter((c) => c !== undefined)).values()) {
    predictedPairs += pairs(n);
    largestCluster = Math.max(largestCluster, n);
  }
  const both = cluster.flatMap((c, i) => (c === undefined ? [] : [`${c}\u0000${entity[i] ?? ''}`]));
  let correctPairs = 0;
  for (const n of countBy(both).values()) correctPairs += pairs(n);
  const precision = predictedPairs === 0 ? 1 : correctPairs / predictedPairs;
  const recall = truePairs === 0 ? 1 : correctPairs / truePairs;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    truePairs,
    predictedPairs,
    correctPairs,
    precision,
    recall,
    f1,
    largestCluster,
    largestTrueCluster,
  };
}

/** Share of true pairs whose two records share at least one blocking key. */
export function blockingRecall(entity: readonly string[], keys: ReadonlyArray<readonly string[]>): number {
  const byEntity = new Map<string, number[]>();
  entity.forEach((e, i) => byEntity.set(e, [...(byEntity.get(e) ?? []), i]));
  let truePairs = 0;
  let found = 0;
  for (const members of byEntity.values()) {
    for (let i = 0; i < members.length; i++) {
      for (let j = i + 1; j < members.length; j++) {
        truePairs++;
        const a = new Set(keys[members[i] ?? -1] ?? []);
        if ((keys[members[j] ?? -1] ?? []).some((k) => a.has(k))) found++;
      }
    }
  }
  return truePairs === 0 ? 1 : found / truePairs;
}
