import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { decideRecord, DEFAULT_POLICY, type CandidateGolden, type Decision } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { normaliseRecord } from './normaliseRecord';
import { waterfall } from './waterfall';

const n = (fields: Partial<CanonicalRecord>) =>
  normaliseRecord({ external_id: 'x', attributes: {}, ...fields });
const golden = (goldenId: string, ...members: Array<Partial<CanonicalRecord>>): CandidateGolden => ({
  goldenId,
  members: members.map((m, i) => ({ recordId: `${goldenId}-${i}`, normalised: n(m) })),
});

const ann = {
  given_name: 'Ann',
  family_name: 'Lee',
  date_of_birth: '1980-03-12',
  city: 'Leeds',
  email: 'ann.lee@example.com',
};
const bob = { given_name: 'Bob', family_name: 'Stone', date_of_birth: '1955-10-01', city: 'York' };

function expectWaterfallSums(d: Decision) {
  const w = waterfall(d.explanation);
  expect(w.total).toBeCloseTo(d.score, 9);
  expect(w.total).toBeCloseTo(d.explanation.total, 9);
  const last = w.steps[w.steps.length - 1];
  expect(last?.end ?? w.prior).toBeCloseTo(d.score, 9);
  w.steps.forEach((s, i) => expect(s.start).toBeCloseTo(i === 0 ? w.prior : (w.steps[i - 1]?.end ?? NaN), 9));
  expect(w.thresholds).toEqual({
    link: DEFAULT_POLICY.linkThreshold,
    review: DEFAULT_POLICY.reviewThreshold,
  });
}

describe('decideRecord', () => {
  it('makes a new golden record when there is no candidate', () => {
    const d = decideRecord(n(ann), [], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(d.kind).toBe('new');
    expect(d.explanation.rule).toBe('no_candidates');
    expect(d.explanation.fields).toEqual([]);
    expectWaterfallSums(d);
  });

  it('links to the golden record whose best member matches', () => {
    const d = decideRecord(
      n({ ...ann, given_name: 'Anne' }),
      [golden('g2', bob), golden('g1', { given_name: 'A', family_name: 'Lee' }, ann)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(d).toMatchObject({ kind: 'link', goldenId: 'g1', recordId: 'g1-1' });
    expect(d.explanation.rule).toBe('at_or_above_link_threshold');
    expect(d.explanation.modelVersion).toBe(DEFAULT_MODEL.version);
    expect(d.explanation.candidates.map((c) => c.goldenId)).toEqual(['g1', 'g2']);
    expect(d.explanation.fields.find((f) => f.field === 'given_name')?.level).toBe('close');
    expectWaterfallSums(d);
  });

  it('says new below the review threshold', () => {
    const d = decideRecord(n(ann), [golden('g2', bob)], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(d.kind).toBe('new');
    expect(d.explanation.rule).toBe('below_review_threshold');
    expectWaterfallSums(d);
  });

  it('sends a score between the thresholds to review', () => {
    const record = n(ann);
    const candidate = golden('g1', { given_name: 'Ann', family_name: 'Leigh', city: 'Leeds' });
    const score = decideRecord(record, [candidate], DEFAULT_MODEL, DEFAULT_POLICY).score;
    const d = decideRecord(record, [candidate], DEFAULT_MODEL, {
      linkThreshold: score + 1,
      reviewThreshold: score - 1,
    });
    expect(d).toMatchObject({ kind: 'review', reviewKind: 'possible_match', goldenIds: ['g1'] });
    expect(d.explanation.rule).toBe('between_thresholds');
  });

  it('links to the best of several golden records above the link threshold and proposes they merge', () => {
    const d = decideRecord(
      n(ann),
      [golden('g2', { ...ann, email: undefined }), golden('g1', ann), golden('g3', bob)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(d).toMatchObject({ kind: 'link', goldenId: 'g1', recordId: 'g1-0' });
    expect(d.explanation.rule).toBe('best_of_several_golden_records_above_link_threshold');
    // Never merged silently: the two golden records go to a reviewer, with the weaker evidence.
    const proposal = d.kind === 'link' ? d.mergeProposal : undefined;
    expect(proposal?.goldenIds).toEqual(['g1', 'g2']);
    expect(proposal?.score).toBe(d.explanation.candidates.find((c) => c.goldenId === 'g2')?.score);
    expect(proposal!.score).toBeLessThan(d.score);
    expectWaterfallSums(d);
  });

  it('proposes no merge when one golden record alone is above the link threshold', () => {
    const d = decideRecord(n(ann), [golden('g1', ann), golden('g3', bob)], DEFAULT_MODEL, DEFAULT_POLICY);
    expect(d).toMatchObject({ kind: 'link', goldenId: 'g1' });
    expect(d.kind === 'link' && d.mergeProposal).toBeFalsy();
  });

  it('is plain JSON and deterministic on ties', () => {
    const d1 = decideRecord(n(ann), [golden('b', ann), golden('a', ann)], DEFAULT_MODEL, {
      linkThreshold: 1e9,
      reviewThreshold: 0,
    });
    expect(d1.explanation.candidates[0]?.goldenId).toBe('a');
    expect(JSON.parse(JSON.stringify(d1))).toEqual(d1);
  });
});
