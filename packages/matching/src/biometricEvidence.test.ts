import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { biometricEvidence, DEFAULT_BIOMETRIC_POLICY, matchWeight } from './biometricEvidence';
import { decideRecord, DEFAULT_POLICY, type CandidateGolden } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { normaliseRecord } from './normaliseRecord';
import { waterfall } from './waterfall';

const n = (fields: Partial<CanonicalRecord>) =>
  normaliseRecord({ external_id: 'x', attributes: {}, ...fields });
const golden = (goldenId: string, fields: Partial<CanonicalRecord>): CandidateGolden => ({
  goldenId,
  members: [{ recordId: `${goldenId}-0`, normalised: n(fields) }],
});
const ann = {
  given_name: 'Ann',
  family_name: 'Lee',
  date_of_birth: '1980-03-12',
  city: 'Leeds',
  email: 'ann.lee@example.com',
};
const bob = { given_name: 'Bob', family_name: 'Stone', date_of_birth: '1955-10-01', city: 'York' };
const hit = (goldenId: string, scaledScore: number) => ({
  referenceId: `${goldenId}-ref`,
  goldenId,
  scaledScore,
  internalScore: 0.7,
});

describe('face evidence', () => {
  it('weighs a match as log2(TAR / FMR), capped, and a missing enrolled face against', () => {
    expect(matchWeight(30)).toBeCloseTo(Math.log2(0.98 * 1000), 9);
    expect(matchWeight(100)).toBe(DEFAULT_BIOMETRIC_POLICY.maxWeight);
    expect(matchWeight(0)).toBe(0);
    const e = biometricEvidence(
      [hit('g1', 40), { ...hit('g1', 60), referenceId: 'other' }, hit('g2', 30)],
      ['g1', 'g3'],
    );
    expect(e.byGolden.get('g1')).toMatchObject({ level: 'match', scaledScore: 60, referenceId: 'other' });
    expect(e.byGolden.get('g3')).toMatchObject({
      level: 'no_match',
      weight: DEFAULT_BIOMETRIC_POLICY.noMatchWeight,
    });
    expect(e.hits.map((h) => h.scaledScore)).toEqual([60, 40, 30]);
  });

  it('links a likely match that the face confirms, and the waterfall ends on the score', () => {
    const record = n({ ...ann, email: undefined, city: 'York' });
    const without = decideRecord(record, [golden('g1', ann)], DEFAULT_MODEL, DEFAULT_POLICY);
    const d = decideRecord(
      record,
      [golden('g1', ann)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
      undefined,
      biometricEvidence([hit('g1', 45)], ['g1']),
    );
    expect(d.kind).toBe('link');
    expect(d.score).toBeCloseTo(without.score + matchWeight(45), 9);
    expect(d.explanation.biometric).toMatchObject({ level: 'match', scaledScore: 45 });
    expect(d.explanation.candidates[0]).toMatchObject({ demographic: without.score });
    const w = waterfall(d.explanation);
    expect(w.steps.at(-1)).toMatchObject({ field: 'face', level: 'match' });
    expect(w.total).toBeCloseTo(d.score, 9);
  });

  it('sends a strong face match with a demographic mismatch to review, with both pieces of evidence', () => {
    const d = decideRecord(
      n(bob),
      [golden('g1', ann)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
      undefined,
      biometricEvidence([hit('g1', 80)], ['g1']),
    );
    expect(d).toMatchObject({ kind: 'review', reviewKind: 'biometric_conflict', goldenIds: ['g1'] });
    expect(d.explanation.rule).toBe('biometric_demographic_conflict');
    expect(d.explanation.biometric).toMatchObject({ level: 'match', scaledScore: 80 });
    expect(d.explanation.fields.length).toBeGreaterThan(0);
    expect(d.explanation.candidates[0]!.demographic).toBeLessThan(DEFAULT_POLICY.reviewThreshold);
  });

  it('sends a demographic link whose enrolled face did not match to review, never to a link', () => {
    const d = decideRecord(
      n(ann),
      [golden('g1', ann)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
      undefined,
      biometricEvidence([], ['g1']),
    );
    expect(d).toMatchObject({ kind: 'review', reviewKind: 'biometric_conflict', goldenIds: ['g1'] });
    expect(d.explanation.biometric).toMatchObject({ level: 'no_match' });
  });

  it('changes nothing for golden records without an enrolled face', () => {
    const plain = decideRecord(n(ann), [golden('g1', ann)], DEFAULT_MODEL, DEFAULT_POLICY);
    const d = decideRecord(
      n(ann),
      [golden('g1', ann)],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
      undefined,
      biometricEvidence([], []),
    );
    expect(d.kind).toBe(plain.kind);
    expect(d.score).toBe(plain.score);
    expect(d.explanation.biometric).toMatchObject({ level: 'none', weight: 0 });
  });
});
