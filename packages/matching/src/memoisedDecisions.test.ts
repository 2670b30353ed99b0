/**
 * The memoised field comparisons (pairMemo.ts, docs/decisions/0060-memoised-field-comparisons.md)
 * change how fast a decision is reached, never the decision: realistic data sets are learned
 * and decided in file order with the memos and without, and every decision (kind, score,
 * explanation down to each field's level and weight) must be the same.
 */
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../../test/sharedData';
import { blockingKeys } from './blockingKeys';
import { decideRecord, DEFAULT_POLICY, type CandidateGolden, type Decision } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { loadDataSets, type LabelledDataSet } from './evaluationData';
import { normaliseRecord } from './normaliseRecord';
import { PairMemo, withoutMemos } from './pairMemo';
import { termFrequenciesOf } from './termFrequencies';
import { trainOnRecords } from './training/trainOnRecords';

const SETS = loadDataSets(sharedDataDir());

/** Learns the model from the set, then decides it record by record as simulateDecisions does. */
function decideAll(set: LabelledDataSet): { model: unknown; decisions: Decision[] } {
  const normalised = set.records.map((r) => normaliseRecord(r.record));
  const model = trainOnRecords(DEFAULT_MODEL, normalised, { version: 'memo-check' }).model;
  const tf = termFrequenciesOf(model);
  const clustersOfKey = new Map<string, Set<string>>();
  const members = new Map<string, CandidateGolden['members']>();
  const decisions: Decision[] = [];
  normalised.forEach((record, i) => {
    const keys = blockingKeys(record);
    const ids = new Set<string>();
    for (const k of keys) for (const c of clustersOfKey.get(k) ?? []) ids.add(c);
    const candidates = [...ids].map((goldenId) => ({ goldenId, members: members.get(goldenId) ?? [] }));
    const decision = decideRecord(record, candidates, model, DEFAULT_POLICY, tf);
    decisions.push(decision);
    const cluster =
      decision.kind === 'link' ? decision.goldenId : decision.kind === 'new' ? `g${i}` : undefined;
    if (cluster === undefined) return;
    members.set(cluster, [...(members.get(cluster) ?? []), { recordId: String(i), normalised: record }]);
    for (const k of keys) clustersOfKey.set(k, (clustersOfKey.get(k) ?? new Set()).add(cluster));
  });
  return { model, decisions };
}

describe('memoised field comparisons', () => {
  for (const name of ['fake_1000', 'rldata500', 'FEBRL 3 with soc_sec_id']) {
    it(`learn and decide ${name} exactly as without the memos`, () => {
      const set = SETS.find((s) => s.name === name);
      if (set === undefined) throw new Error(`no data set ${name}`);
      const plain = withoutMemos(() => decideAll(set));
      const memoised = decideAll(set);
      // Twice: the second run answers from memos the first one filled.
      const again = decideAll(set);
      expect(memoised.model).toEqual(plain.model);
      expect(memoised.decisions).toEqual(plain.decisions);
      expect(again.decisions).toEqual(plain.decisions);
    }, 600_000);
  }

  it('answers (a, b) and (b, a) from one entry, and starts afresh past its limit', () => {
    const calls: string[] = [];
    const memo = new PairMemo((a, b) => {
      calls.push(`${a}|${b}`);
      return a.length + b.length;
    }, 2);
    expect(memo.get('anna', 'ann')).toBe(7);
    expect(memo.get('ann', 'anna')).toBe(7);
    expect(calls).toEqual(['ann|anna']);
    memo.get('bob', 'rob');
    memo.get('eve', 'eva');
    memo.get('ann', 'anna');
    // The third answer passed the limit of two: the memo was emptied and 'ann|anna' computed again.
    expect(calls).toEqual(['ann|anna', 'bob|rob', 'eva|eve', 'ann|anna']);
  });
});
