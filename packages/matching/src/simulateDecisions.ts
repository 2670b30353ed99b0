/**
 * Replays a labelled data set through the online decision, one record at a time in file order,
 * as the engine does (candidates: the current clusters sharing a blocking key; a link joins the
 * best, a new decision opens one, a review leaves the record out), and scores the clustering.
 * The offline evaluator (evaluate.ts) and the accuracy regression floors share it.
 */
import { blockingKeys } from './blockingKeys';
import { decideRecord, type CandidateGolden, type DecisionPolicy } from './decide';
import type { LabelledDataSet } from './evaluationData';
import { blockingRecall, pairwiseScores } from './evaluationMetrics';
import type { MatchModel, TermFrequencies } from './model';
import { normaliseRecord, type NormalisedRecord } from './normaliseRecord';
import { InMemoryTermFrequencies, termFrequenciesOf } from './termFrequencies';

export interface RunResult {
  name: string;
  records: number;
  precision: number;
  recall: number;
  f1: number;
  reviewShare: number;
  mergeProposals: number;
  blockingRecall: number;
  largest: string;
  meanCandidates: number;
  maxCandidates: number;
  recordsPerSecond: number;
}

export type TfChoice = 'data' | 'model' | 'off';

export function simulate(
  set: LabelledDataSet,
  model: MatchModel,
  policy: DecisionPolicy,
  tfChoice: TfChoice,
  name = set.name,
): RunResult {
  const started = performance.now();
  const normalised: NormalisedRecord[] = set.records.map((r) => normaliseRecord(r.record));
  const tf: TermFrequencies | undefined =
    tfChoice === 'data'
      ? InMemoryTermFrequencies.fromRecords(normalised)
      : tfChoice === 'model'
        ? termFrequenciesOf(model)
        : undefined;
  const keysOf = normalised.map(blockingKeys);
  const clusterOfKey = new Map<string, Set<string>>();
  const members = new Map<string, CandidateGolden['members']>();
  const clusterOf: Array<string | undefined> = [];
  let reviews = 0;
  let mergeProposals = 0;
  let candidateTotal = 0;
  let maxCandidates = 0;

  normalised.forEach((n, i) => {
    const recordId = set.records[i]?.record.external_id ?? String(i);
    const keys = keysOf[i] ?? [];
    const ids = new Set<string>();
    for (const k of keys) for (const c of clusterOfKey.get(k) ?? []) ids.add(c);
    const candidates = [...ids].map((goldenId) => ({ goldenId, members: members.get(goldenId) ?? [] }));
    candidateTotal += candidates.length;
    maxCandidates = Math.max(maxCandidates, candidates.length);
    const decision = decideRecord(n, candidates, model, policy, tf);
    let cluster: string | undefined;
    switch (decision.kind) {
      case 'link':
        cluster = decision.goldenId;
        if (decision.mergeProposal) mergeProposals++;
        break;
      case 'new':
        cluster = `g${i}`;
        members.set(cluster, []);
        break;
      case 'review':
        reviews++;
        break;
    }
    clusterOf.push(cluster);
    if (cluster === undefined) return;
    members.get(cluster)?.push({ recordId, normalised: n });
    for (const k of keys) {
      const set = clusterOfKey.get(k) ?? new Set<string>();
      set.add(cluster);
      clusterOfKey.set(k, set);
    }
  });

  const seconds = (performance.now() - started) / 1000;
  const entity = set.records.map((r) => r.entity);
  const scores = pairwiseScores(entity, clusterOf);
  return {
    name,
    records: set.records.length,
    precision: scores.precision,
    recall: scores.recall,
    f1: scores.f1,
    reviewShare: reviews / set.records.length,
    mergeProposals,
    blockingRecall: blockingRecall(entity, keysOf),
    largest: `${scores.largestCluster}/${scores.largestTrueCluster}`,
    meanCandidates: candidateTotal / set.records.length,
    maxCandidates,
    recordsPerSecond: set.records.length / seconds,
  };
}
