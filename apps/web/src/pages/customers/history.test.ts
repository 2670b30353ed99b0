import { describe, expect, it } from 'vitest';
import { customerFixture, GOLDEN, PRIMARY, SECOND } from './fixtures.test-data';
import { describeHistory, memberLabeller } from './history';

describe('history in words', () => {
  const label = memberLabeller(customerFixture().members);

  it('names a merge, its closest pair and the members that fit no other', () => {
    const story = describeHistory(
      {
        id: '7',
        at: '2026-11-20T10:00:00.000Z',
        actor: 'rita',
        action: 'golden_record.merged',
        entityType: 'golden_record',
        entityId: GOLDEN,
        recordId: null,
        before: { member_count: 1 },
        after: {
          member_count: 2,
          merged: ['66666666-6666-4666-8666-666666666666'],
          reason: 'same national id',
          reResolution: { crossScore: 14.25, doubtful: [SECOND], members: [] },
        },
      },
      label,
    );
    expect(story.title).toBe(
      `Merged another customer into this one (closest pair scored ${(14.3).toLocaleString()})`,
    );
    expect(story.warnings).toEqual(['Fits no other member: bank b-2. Split out if it is someone else.']);
    expect(story.changes).toEqual([{ field: 'members', before: '1', after: '2' }]);
    expect(story.link?.to).toBe('/customers/66666666-6666-4666-8666-666666666666');
  });

  it('says what a review decided about a member', () => {
    const story = describeHistory(
      {
        id: '8',
        at: '2026-11-20T10:00:00.000Z',
        actor: 'rita',
        action: 'review_case.resolved',
        entityType: 'review_case',
        entityId: 'case-1',
        recordId: PRIMARY,
        before: null,
        after: { resolution: 'same_as', reason: 'same face' },
      },
      label,
    );
    expect(story).toMatchObject({
      kind: 'reviewed',
      title: 'Review of registry r-1: same person, linked',
      reason: 'same face',
      link: { to: '/review/case-1' },
    });
  });
});
