import type { Customer, HistoryEntry, Member } from './customerTypes';

export const GOLDEN = '11111111-1111-4111-8111-111111111111';
export const PRIMARY = '22222222-2222-4222-8222-222222222222';
export const SECOND = '33333333-3333-4333-8333-333333333333';
export const NEW_GOLDEN = '44444444-4444-4444-8444-444444444444';

const member = (recordId: string, over: Partial<Member>): Member => ({
  recordId,
  source: 'bank',
  externalId: 'b-1',
  status: 'linked',
  precedence: 'secondary',
  linkScore: 12.34,
  linkedAt: '2026-11-20T10:00:00.000Z',
  payload: { given_name: 'Ada', family_name: 'Byron', date_of_birth: '1815-12-10' },
  ...over,
});

const entry = (id: string, over: Partial<HistoryEntry>): HistoryEntry => ({
  id,
  at: '2026-11-20T10:00:00.000Z',
  actor: 'engine',
  action: 'golden_record.created',
  entityType: 'golden_record',
  entityId: GOLDEN,
  recordId: PRIMARY,
  before: null,
  after: null,
  ...over,
});

export function customerFixture(over: Partial<Customer> = {}): Customer {
  return {
    id: GOLDEN,
    status: 'active',
    mergedInto: null,
    best: { given_name: 'Ada', family_name: 'Lovelace', date_of_birth: '1815-12-10', national_id: 'AL1815' },
    memberCount: 2,
    version: 3,
    createdAt: '2026-11-20T09:00:00.000Z',
    updatedAt: '2026-11-20T10:00:00.000Z',
    // The secondary first: the page must put the primary on top.
    members: [
      member(SECOND, { externalId: 'b-2', linkedAt: '2026-11-20T09:30:00.000Z' }),
      member(PRIMARY, {
        source: 'registry',
        externalId: 'r-1',
        status: 'new',
        precedence: 'primary',
        linkScore: null,
        linkedAt: '2026-11-20T09:40:00.000Z',
        payload: { given_name: 'Ada', family_name: 'Lovelace' },
      }),
    ],
    biometricReferences: [
      {
        referenceId: PRIMARY,
        modality: 'face',
        status: 'enrolled',
        createdAt: '2026-11-20T09:00:00.000Z',
        enrolledAt: '2026-11-20T09:00:01.000Z',
      },
    ],
    historyRecords: [],
    history: [
      entry('1', { after: { best: { given_name: 'Ada' }, members: [PRIMARY] } }),
      entry('2', {
        action: 'golden_record.linked',
        recordId: SECOND,
        before: { best: { given_name: 'Ada' }, member_count: 1 },
        after: {
          best: { given_name: 'Ada', family_name: 'Lovelace' },
          member_count: 2,
          linked: SECOND,
          score: 12.34,
        },
      }),
      entry('3', {
        action: 'golden_record.split',
        actor: 'rita',
        recordId: '55555555-5555-4555-8555-555555555555',
        before: { member_count: 3 },
        after: { member_count: 2, splitInto: NEW_GOLDEN, reason: 'twin sister' },
      }),
    ],
    ...over,
  };
}
