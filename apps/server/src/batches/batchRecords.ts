import { PENDING_RECORD_STATUSES, type RecordStatus, required } from '@nexus/schema';
import type { Db } from '@nexus/actors';
import { EVERYTHING, type Viewer } from '../auth/ownership';
import { visibleBatches } from './batchStatus';
import { IngestError } from '../ingest/errors';

/** What the dashboard and the results file show of one record of a batch. */
export interface BatchRecordView {
  id: string;
  externalId: string;
  /** Given and family name as submitted, for people reading the list. */
  name: string;
  status: RecordStatus;
  rule: string | null;
  decidedAt: string | null;
  /** The golden record it belongs to now (after merges and splits). */
  goldenId: string | null;
  reviewCaseId: string | null;
  /** Why it was rejected or dead-lettered. */
  problem: string | null;
}

export interface BatchRecordsFilter {
  batchId: string;
  status?: RecordStatus | 'pending';
  /** Records after this one (the previous page's nextCursor). */
  cursor?: string;
  limit: number;
}

const PENDING: RecordStatus[] = [...PENDING_RECORD_STATUSES];

function recordsQuery(db: Db, batchId: string) {
  return db
    .selectFrom('records as r')
    .leftJoin('golden_record_members as m', 'm.record_id', 'r.id')
    .leftJoin('review_cases as c', 'c.record_id', 'r.id')
    .select([
      'r.id',
      'r.external_id',
      'r.payload',
      'r.status',
      'r.decision_rule',
      'r.decided_at',
      'r.errors',
      'm.golden_id',
      'c.id as case_id',
    ])
    .where('r.batch_id', '=', batchId)
    .orderBy('r.id');
}

type Row = Awaited<ReturnType<ReturnType<typeof recordsQuery>['execute']>>[number];

const textOf = (value: unknown) => (typeof value === 'string' ? value.trim() : '');

function toView(r: Row): BatchRecordView {
  const payload = r.payload ?? {};
  const name = [textOf(payload.given_name), textOf(payload.family_name)].filter(Boolean).join(' ');
  return {
    id: r.id,
    externalId: r.external_id,
    name,
    status: r.status,
    rule: r.decision_rule,
    decidedAt: r.decided_at?.toISOString() ?? null,
    goldenId: r.golden_id,
    reviewCaseId: r.case_id,
    problem:
      r.errors && r.errors.length > 0 ? r.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : null,
  };
}

async function assertBatch(db: Db, batchId: string, viewer: Viewer) {
  const found = await visibleBatches(db, viewer).select('id').where('id', '=', batchId).executeTakeFirst();
  if (!found) throw new IngestError('BATCH.NOT_FOUND', `no batch ${batchId}`);
}

/** A batch's records in submission order, with their decisions; `pending` covers received and relayed. */
export async function listBatchRecords(
  db: Db,
  f: BatchRecordsFilter,
  viewer: Viewer,
): Promise<{ items: BatchRecordView[]; nextCursor: string | null }> {
  await assertBatch(db, f.batchId, viewer);
  let q = recordsQuery(db, f.batchId).limit(f.limit + 1);
  if (f.status === 'pending') q = q.where('r.status', 'in', PENDING);
  else if (f.status) q = q.where('r.status', '=', f.status);
  if (f.cursor) q = q.where('r.id', '>', f.cursor);
  const rows = await q.execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map(toView),
    nextCursor:
      rows.length > f.limit ? required(page.at(-1), 'listBatchRecords: last record of a full page').id : null,
  };
}

const RESULT_PAGE = 2_000;

/**
 * Every record of a batch, page by page, so a 10,000-record batch never sits in memory as one
 * result. Callers check first that the batch is the caller's to see (getBatch with its viewer).
 */
export async function* batchResults(db: Db, batchId: string): AsyncGenerator<BatchRecordView> {
  await assertBatch(db, batchId, EVERYTHING);
  let cursor: string | undefined;
  for (;;) {
    let q = recordsQuery(db, batchId).limit(RESULT_PAGE);
    if (cursor) q = q.where('r.id', '>', cursor);
    const rows = await q.execute();
    for (const row of rows) {
      yield toView(row);
      cursor = row.id;
    }
    if (rows.length < RESULT_PAGE) return;
  }
}

export const RESULT_COLUMNS = [
  'external_id',
  'name',
  'decision',
  'customer_id',
  'review_case_id',
  'rule',
  'decided_at',
  'problem',
] as const;

export const resultRow = (r: BatchRecordView): string[] => [
  r.externalId,
  r.name,
  PENDING.includes(r.status) ? 'pending' : r.status,
  r.goldenId ?? '',
  r.reviewCaseId ?? '',
  r.rule ?? '',
  r.decidedAt ?? '',
  r.problem ?? '',
];
