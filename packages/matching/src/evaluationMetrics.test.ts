import { describe, expect, it } from 'vitest';
import { blockingRecall, pairwiseScores } from './evaluationMetrics';

describe('evaluation metrics', () => {
  it('scores pairs over all records, reviews forming no pair', () => {
    // Truth: {0,1,2} and {3}; predicted: {0,1} and {2,3}; record 4 (alone) in review.
    const s = pairwiseScores(['a', 'a', 'a', 'b', 'c'], ['x', 'x', 'y', 'y', undefined]);
    expect(s).toMatchObject({ truePairs: 3, predictedPairs: 2, correctPairs: 1, precision: 0.5 });
    expect(s.recall).toBeCloseTo(1 / 3);
    expect(s.f1).toBeCloseTo(0.4);
  });

  it('measures blocking recall on true pairs', () => {
    expect(blockingRecall(['a', 'a', 'a'], [['k1'], ['k1', 'k2'], ['k3']])).toBeCloseTo(1 / 3);
    expect(blockingRecall(['a', 'b'], [[], []])).toBe(1);
  });
});
