import { describe, expect, it } from 'vitest';
import type { CanonicalRecord } from '@nexus/schema';
import { DEFAULT_POLICY } from './decide';
import { DEFAULT_MODEL } from './defaultModel';
import { normaliseRecord } from './normaliseRecord';
import { reResolve } from './reResolution';

const n = (fields: Partial<CanonicalRecord>) =>
  normaliseRecord({ external_id: 'x', attributes: {}, ...fields });
const ann = { given_name: 'Ann', family_name: 'Lee', date_of_birth: '1980-03-12', city: 'Leeds' };

describe('reResolve', () => {
  it('gives the direct evidence between joined golden records and flags the member that fits none', () => {
    const result = reResolve(
      [
        {
          goldenId: 'a',
          members: [
            { recordId: 'a1', normalised: n(ann) },
            { recordId: 'a2', normalised: n({ ...ann, city: undefined }) },
          ],
        },
        {
          goldenId: 'b',
          members: [
            { recordId: 'b1', normalised: n({ ...ann, given_name: 'Anne' }) },
            {
              recordId: 'b2',
              normalised: n({ given_name: 'Bob', family_name: 'Stone', date_of_birth: '1955-10-01' }),
            },
          ],
        },
      ],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(result.crossPair).toEqual(['a1', 'b1']);
    expect(result.crossScore).toBeGreaterThan(DEFAULT_POLICY.linkThreshold);
    expect(result.doubtful).toEqual(['b2']);
    expect(result.members.map((m) => [m.recordId, m.from, m.bestWith])).toEqual([
      ['a1', 'a', 'b1'],
      ['a2', 'a', 'a1'],
      ['b1', 'b', 'a1'],
      ['b2', 'b', expect.any(String)],
    ]);
    expect(result.modelVersion).toBe(DEFAULT_MODEL.version);
  });

  it('has no cross evidence for a single golden record and no best match for a lone member', () => {
    const result = reResolve(
      [{ goldenId: 'a', members: [{ recordId: 'a1', normalised: n(ann) }] }],
      DEFAULT_MODEL,
      DEFAULT_POLICY,
    );
    expect(result).toMatchObject({ crossScore: null, crossPair: null, doubtful: [] });
    expect(result.members).toEqual([{ recordId: 'a1', from: 'a', bestScore: null, bestWith: null }]);
  });
});
