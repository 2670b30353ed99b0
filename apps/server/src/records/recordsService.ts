import { type Db } from '@nexus/actors';
import { waterfall, type Explanation, type Waterfall } from '@nexus/matching';
import type { RecordStatus } from '@nexus/schema';
import type { Viewer } from '../auth/ownership';
import { IngestError } from '../ingest/errors';
import { decisionOnly } from './decisionOnly';

export type RecordRef = { id: string } | { source: string; externalId: string };

export interface RecordView {
  id: string;
  batchId: string | null;
  source: string;
  externalId: string;
  partition: number;
  status: RecordStatus;
  payload: Record<string, unknown>;
  /** Why it was rejected or dead-lettered, or the warnings it was kept with. */
  problems: Array<{ field: string; message: string }>;
  receivedAt: string;
  relayedAt: string | null;
  decision: {
    rule: string | null;
    decidedAt: string | null;
    modelVersion: number | null;
    /** The golden record the record belongs to now (after merges and splits). */
    goldenId: string | null;
    reviewCaseId: string | null;
  };
  explanation: Record<string, unknown> | null;
  waterfall: Waterfall | null;
}

/** The stored explanation carries more (liveness); a waterfall needs the scoring part. */
export function asExplanation(value: unknown): Explanation | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Partial<Explanation>;
  const ok =
    typeof e.prior === 'number' &&
    Array.isArray(e.fields) &&
    typeof e.thresholds?.link === 'number' &&
    typeof e.thresholds.review === 'number';
  return ok ? (e as Explanation) : undefined;
}

/**
 * A record, if the viewer may see it: an ingest account sees the records it streamed and those
 * of its batches, with the decision but not the values of the records it was compared with.
 * Someone else's record is answered exactly as one that does not exist.
 */
export async function getRecord(db: Db, ref: RecordRef, viewer: Viewer): Promise<RecordView> {
  let q = db.selectFrom('records as r').leftJoin('batches as b', 'b.id', 'r.batch_id').selectAll('r');
  q =
    'id' in ref
      ? q.where('r.id', '=', ref.id)
      : q.where('r.source', '=', ref.source).where('r.external_id', '=', ref.externalId);
  if (viewer.sees === 'own') {
    const { userId } = viewer;
    q = q.where((eb) => eb.or([eb('r.submitted_by_id', '=', userId), eb('b.submitted_by_id', '=', userId)]));
  }
  const r = await q.executeTakeFirst();
  if (!r) {
    const what = 'id' in ref ? ref.id : `${ref.source}/${ref.externalId}`;
    throw new IngestError(
      'RECORD.NOT_FOUND',
      `no record ${what} (a streamed record appears once it is decided)`,
    );
  }
  const [member, reviewCase] = await Promise.all([
    db
      .selectFrom('golden_record_members')
      .select('golden_id')
      .where('record_id', '=', r.id)
      .executeTakeFirst(),
    db.selectFrom('review_cases').select('id').where('record_id', '=', r.id).executeTakeFirst(),
  ]);
  const explanation = asExplanation(r.explanation);
  return {
    id: r.id,
    batchId: r.batch_id,
    source: r.source,
    externalId: r.external_id,
    partition: r.partition,
    status: r.status,
    payload: r.payload,
    problems: r.errors ?? [],
    receivedAt: r.received_at.toISOString(),
    relayedAt: r.relayed_at?.toISOString() ?? null,
    decision: {
      rule: r.decision_rule,
      decidedAt: r.decided_at?.toISOString() ?? null,
      modelVersion: r.model_version,
      goldenId: member?.golden_id ?? null,
      reviewCaseId: reviewCase?.id ?? null,
    },
    explanation: r.explanation && viewer.sees === 'own' ? decisionOnly(r.explanation) : r.explanation,
    waterfall: explanation ? waterfall(explanation) : null,
  };
}
