import type { Batch, BatchCounts, BatchRecord } from './batchTypes';

export const counts = (over: Partial<BatchCounts> = {}): BatchCounts => ({
  records: 1200,
  pending: 200,
  new: 700,
  linked: 250,
  review: 40,
  rejected: 6,
  dead_lettered: 4,
  cancelled: 0,
  ...over,
});

export const batch = (over: Partial<Batch> = {}): Batch => ({
  id: '0e0b4d1c-6b7e-4a55-9d0f-3b7e9a1f2c11',
  source: 'registry-north',
  status: 'processing',
  submittedBy: 'ingest-user',
  createdAt: '2026-11-20T10:00:00.000Z',
  completedAt: null,
  counts: counts(),
  ...over,
});

export const record = (over: Partial<BatchRecord> = {}): BatchRecord => ({
  id: '019a0000-0000-7000-8000-000000000001',
  externalId: 'rn-1',
  name: 'Ana Silva',
  status: 'new',
  rule: 'no_candidate',
  decidedAt: '2026-11-20T10:00:05.000Z',
  goldenId: '7d3c3b1e-0000-4000-8000-00000000000a',
  reviewCaseId: null,
  problem: null,
  ...over,
});
